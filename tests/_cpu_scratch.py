import os, sys, time, tempfile, subprocess, signal
from pathlib import Path
from tests.load_benchmark import questions, FakeTelegram, Settings
TCK = os.sysconf("SC_CLK_TCK")
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / TCK
def threads(pid):
    out = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        f = open(f"/proc/{pid}/task/{t}/stat").read().rsplit(")", 1)[1].split()
        out[t] = (int(f[11]) + int(f[12])) / TCK
    return out
pool = questions(); settings = Settings(); n = int(sys.argv[1])
with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_BASE_URL": fake.base_url,
           "INDEX_DIR": str(Path(settings.index_dir).resolve()), "CORPUS_DIR": str(Path(settings.corpus_dir).resolve()),
           "DATABASE_PATH": str(Path(tmp) / "b.sqlite3"), "RATE_LIMIT": "false", "RELOAD_CHECK_SECONDS": "0", "QUERY_CACHE_SIZE": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fake.wait_for(lambda: fake.commands, timeout=120)
    kids = [int(c) for c in open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()]
    users = [fake.user(100_000 + i, f"S{i}") for i in range(n)]; chats = [fake.private_chat(u) for u in users]
    t0 = threads(proc.pid); k0 = {k: cpu(k) for k in kids}; c0 = time.process_time(); s = time.perf_counter()
    for i, (u, c) in enumerate(zip(users, chats)): fake.send_text(c, u, pool[i % len(pool)])
    fake.wait_for(lambda: all(fake.sent_to(c["id"]) for c in chats), timeout=600)
    el = time.perf_counter() - s
    t1 = threads(proc.pid); k1 = {k: cpu(k) for k in kids}; c1 = time.process_time()
    main = t1[str(proc.pid)] - t0.get(str(proc.pid), 0)
    other = sum(v - t0.get(t, 0) for t, v in t1.items()) - main
    print(f"elapsed {el:.2f}s capacity {2*el:.2f} core-s; workers {sum(k1[k]-k0[k] for k in kids):.2f}; bot main {main:.2f}; bot other threads {other:.2f}; fake+driver {c1-c0:.2f}")
    proc.send_signal(signal.SIGTERM); proc.wait()
