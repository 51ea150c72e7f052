"""The XLIFF zhen writes back validates against the official OASIS schemas: XLIFF 1.2 strict and
XLIFF 2.0 core, as Debian ships them in php-symfony-translation (``.ci/run`` unpacks that package
into /opt/zhen-xliff-schemas without installing PHP). The schemas' strict wildcards need every
foreign item declared; the ITS 2.0 items zhen adds are declared in tests/data/schemas/its-lqi.xsd,
written from the ITS 2.0 specification (the W3C ships no XSD for them offline)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from zhen.cli import app

HERE = Path(__file__).parent
GLOSSARY = HERE / "data" / "check" / "deck-glossary.csv"
ITS_XSD = HERE / "data" / "schemas" / "its-lqi.xsd"
_SUB = Path("usr/share/php/Symfony/Component/Translation/Resources/schemas")
CANDIDATES = [Path(os.environ["ZHEN_XLIFF_SCHEMAS"])] if os.environ.get("ZHEN_XLIFF_SCHEMAS") else []
CANDIDATES += [Path("/opt/zhen-xliff-schemas") / _SUB, Path("/") / _SUB]
SCHEMAS = next((p for p in CANDIDATES if (p / "xliff-core-1.2-strict.xsd").is_file()), None)
pytestmark = pytest.mark.skipif(SCHEMAS is None, reason="needs the XLIFF schemas (.ci/run unpacks php-symfony-translation)")

V12 = "urn:oasis:names:tc:xliff:document:1.2"
V20 = "urn:oasis:names:tc:xliff:document:2.0"


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    """The two XLIFF schemas with their xml.xsd import made local (lxml never fetches) and
    wrapped with the ITS declarations."""
    d = tmp_path_factory.mktemp("xsd")
    shutil.copy(SCHEMAS / "xml.xsd", d / "xml.xsd")
    shutil.copy(ITS_XSD, d / "its-lqi.xsd")
    out = {}
    for name, ns in (("xliff-core-1.2-strict.xsd", V12), ("xliff-core-2.0.xsd", V20)):
        text = (SCHEMAS / name).read_text(encoding="utf-8")
        for remote in ('"http://www.w3.org/2001/xml.xsd"', '"informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"'):
            text = text.replace(remote, '"xml.xsd"')
        (d / name).write_text(text, encoding="utf-8")
        wrapper = d / f"with-its-{name}"
        wrapper.write_text(f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
                           f'<xsd:import namespace="{ns}" schemaLocation="{name}"/>'
                           f'<xsd:import namespace="http://www.w3.org/2005/11/its" schemaLocation="its-lqi.xsd"/>'
                           f'</xsd:schema>', encoding="utf-8")
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        out[ns] = etree.XMLSchema(etree.parse(str(wrapper), parser))
    return out


def _check_xliff(src: Path, out: Path) -> None:
    result = CliRunner().invoke(app, ["check", "--glossary", str(GLOSSARY), str(src), "--format", "xliff", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output


def _valid(schema, path: Path) -> None:
    doc = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    assert schema.validate(doc), schema.error_log


def test_xliff12_from_translate_toolkit_validates_before_and_after(tmp_path, schemas):
    xliff = pytest.importorskip("translate.storage.xliff")
    store = xliff.xlifffile(sourcelanguage="zh-HK", targetlanguage="en")
    for k, (zh, en) in enumerate([("推出「新型工業加速計劃」", "Launch the New Industrial Acceleration Programme (NIAS)"),
                                  ("新田科技城：今年將成立專屬公司", "San Tin Technopole: to establish a dedicated company")], 1):
        unit = store.addsourceunit(zh)
        unit.setid(f"seg-{k}")
        unit.settarget(en)
    # translate-toolkit writes the 1.1 namespace; CAT tools hand over 1.2, which the schema is for.
    data = bytes(store).replace(b"urn:oasis:names:tc:xliff:document:1.1", V12.encode()).replace(b'version="1.1"', b'version="1.2"')
    src, out = tmp_path / "deck.xlf", tmp_path / "deck.checked.xlf"
    src.write_bytes(data)
    _valid(schemas[V12], src)
    _check_xliff(src, out)
    _valid(schemas[V12], out)
    assert b"locQualityIssue " in out.read_bytes() and b"near-miss" in out.read_bytes()


def test_xliff20_validates_before_and_after(tmp_path, schemas):
    src, out = tmp_path / "deck.xlf", tmp_path / "deck.checked.xlf"
    src.write_text(f'''<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="{V20}" version="2.0" srcLang="zh-HK" trgLang="en">
  <file id="f1" original="deck.docx">
    <unit id="u1"><segment><source>推出「新型工業加速計劃」</source>
      <target>Launch the New Industrial Acceleration Programme (NIAS)</target></segment></unit>
    <unit id="u2"><segment><source>新田科技城：今年將成立專屬公司</source>
      <target>San Tin Technopole: to establish a dedicated company</target></segment></unit>
  </file>
</xliff>
''', encoding="utf-8")
    _valid(schemas[V20], src)
    _check_xliff(src, out)
    _valid(schemas[V20], out)
    assert b"locQualityIssue " in out.read_bytes()
