"""A fake OJS OAI-PMH endpoint (oai_dc) for the harvest tests: pages of PAGE_SIZE records
with resumption tokens, ``from`` and ``set`` selection, deleted records, and switches for
``badResumptionToken``, malformed XML and a 503 with Retry-After."""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass, field

from tests.journal_server import Reply

PAGE_SIZE = 2


@dataclass
class OaiArticle:
    number: int
    datestamp: str  # "2025-12-30T08:00:00Z"
    set_spec: str = "jcip:ART"
    deleted: bool = False
    volume: str = "7"

    @property
    def identifier(self) -> str:
        return f"oai:jurnal.example.ac.id:article/{self.number}"

    def dc(self, base: str) -> str:
        n = self.number
        e = html.escape
        id_abs = (f"Artikel nomor {n} membahas kerja sama luar negeri pemerintah daerah. "
                  f"Penelitian ini memakai metode kualitatif dengan studi kasus provinsi ke-{n}. "
                  "Hasilnya menunjukkan peran penting kepala daerah.")
        en_abs = (f"Article number {n} discusses the foreign cooperation of local governments. "
                  f"This study uses a qualitative method with a case study of province {n}. "
                  "The results show the important role of regional heads.")
        return f"""<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title xml:lang="id-ID">KERJA SAMA LUAR NEGERI DAERAH NOMOR {n}</dc:title>
  <dc:title xml:lang="en-US">Foreign Cooperation of Regions Number {n}</dc:title>
  <dc:creator>Agustina, Istiq; Universitas Sultan Ageng Tirtayasa</dc:creator>
  <dc:creator>Prasetio, Luki Oka; Universitas Sultan Ageng Tirtayasa</dc:creator>
  <dc:subject xml:lang="id-ID">paradiplomasi; kerja sama daerah</dc:subject>
  <dc:subject xml:lang="en-US">paradiplomacy; regional cooperation</dc:subject>
  <dc:description xml:lang="id-ID">{e(id_abs)}</dc:description>
  <dc:description xml:lang="en-US">{e(en_abs)}</dc:description>
  <dc:publisher xml:lang="id-ID">Universitas Contoh</dc:publisher>
  <dc:date>2025-12-{10 + n:02d}</dc:date>
  <dc:type>info:eu-repo/semantics/article</dc:type>
  <dc:format>application/pdf</dc:format>
  <dc:identifier>{base}/index.php/jcip/article/view/{n}</dc:identifier>
  <dc:identifier>10.12345/jcip.v7i2.{n}</dc:identifier>
  <dc:source xml:lang="id-ID">Jurnal Contoh Ilmu Pemerintahan; Vol. {self.volume} No. 2 (2025): Desember; {n}1-{n}9</dc:source>
  <dc:source>2345-6789</dc:source>
  <dc:language>ind</dc:language>
  <dc:relation>{base}/index.php/jcip/article/view/{n}/{n}0</dc:relation>
</oai_dc:dc>"""


@dataclass
class OaiJournal:
    base: str
    articles: list[OaiArticle] = field(default_factory=list)
    bad_token: bool = False
    malformed: bool = False
    busy_once: bool = False
    seen: list[dict[str, str]] = field(default_factory=list)

    def _envelope(self, inner: str) -> str:
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
                f"<responseDate>2026-01-01T00:00:00Z</responseDate><request>{html.escape(self.base)}</request>"
                f"{inner}</OAI-PMH>")

    def __call__(self, path: str) -> Reply:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
        self.seen.append(query)
        if self.busy_once:
            self.busy_once = False
            return Reply(503, "busy", "text/plain", headers={"Retry-After": "1"})
        if self.malformed:
            return Reply(body="<OAI-PMH><ListRecords><record>", content_type="text/xml")
        if "resumptionToken" in query:
            if self.bad_token:
                return Reply(body=self._envelope('<error code="badResumptionToken">expired</error>'),
                             content_type="text/xml")
            start, set_spec, since = query["resumptionToken"].split("|")
            offset = int(start)
        else:
            offset, set_spec, since = 0, query.get("set", ""), query.get("from", "")  # first page
        chosen = [a for a in self.articles if (not set_spec or a.set_spec == set_spec)
                  and (not since or a.datestamp >= since)]
        if not chosen:
            return Reply(body=self._envelope('<error code="noRecordsMatch">none</error>'),
                         content_type="text/xml")
        page = chosen[offset: offset + PAGE_SIZE]
        records = []
        for a in page:
            status = ' status="deleted"' if a.deleted else ""
            header = (f"<header{status}><identifier>{a.identifier}</identifier>"
                      f"<datestamp>{a.datestamp}</datestamp><setSpec>{a.set_spec}</setSpec></header>")
            meta = "" if a.deleted else f"<metadata>{a.dc(self.base)}</metadata>"
            records.append(f"<record>{header}{meta}</record>")
        more = offset + PAGE_SIZE < len(chosen)
        token = (f'<resumptionToken completeListSize="{len(chosen)}">'
                 f"{offset + PAGE_SIZE}|{set_spec}|{since}</resumptionToken>" if more
                 else '<resumptionToken completeListSize="%d"/>' % len(chosen))
        return Reply(body=self._envelope(f"<ListRecords>{''.join(records)}{token}</ListRecords>"),
                     content_type="text/xml")
