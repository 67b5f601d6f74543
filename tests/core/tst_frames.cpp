#include "protocol/frames.h"
#include "protocol/jsonwriter.h"

#include <QtTest>

using namespace Pulsar;

// The JSON frames of spec 3: exact bytes out, and the exact outcome Pulsar's handlers produce for what comes in.
class Tst_frames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writerEscaping_data();
    void writerEscaping();
    void writerStructure();
    void producerAckEncode_data();
    void producerAckEncode();
    void producerAckDecode_data();
    void producerAckDecode();
    void producerSendEncode_data();
    void producerSendEncode();
    void producerSendAccepted_data();
    void producerSendAccepted();
    void producerSendFailures_data();
    void producerSendFailures();
    void producerSendEncryption_data();
    void producerSendEncryption();
    void producerSendKeepsBase64();
    void consumerMessageEncode_data();
    void consumerMessageEncode();
    void consumerMessageDecode_data();
    void consumerMessageDecode();
    void consumerMessageRoundTrip();
    void serverFrame_data();
    void serverFrame();
    void endOfTopic();
    void consumerCommandEncode_data();
    void consumerCommandEncode();
    void consumerCommandTextMatchesUtf8();
    void consumerCommandDecode_data();
    void consumerCommandDecode();
    void readerCommandDecode_data();
    void readerCommandDecode();
};

static QString summary(const ProducerSend &m)
{
    QStringList parts;
    parts << QStringLiteral("payload=") + QString::fromLatin1(m.payload.toHex());
    QStringList props;
    for (const auto &p : m.properties)
        props << p.first + QLatin1Char('=') + p.second;
    if (!props.isEmpty())
        parts << QStringLiteral("props=") + props.join(QLatin1Char(','));
    if (m.context)
        parts << QStringLiteral("context=") + *m.context;
    if (m.key)
        parts << QStringLiteral("key=") + *m.key;
    if (m.replicationClusters)
        parts << QStringLiteral("clusters=[") + m.replicationClusters->join(QLatin1Char(',')) + QLatin1Char(']');
    if (m.eventTime)
        parts << QStringLiteral("eventTime=") + *m.eventTime + QLatin1Char('@') + QString::number(m.eventTimeMs);
    if (m.deliverAt)
        parts << QStringLiteral("deliverAt=") + QString::number(m.deliverAt);
    if (m.deliverAfterMs)
        parts << QStringLiteral("deliverAfterMs=") + QString::number(m.deliverAfterMs);
    if (m.sequenceId)
        parts << QStringLiteral("seq=") + QString::number(m.sequenceId);
    if (m.disableReplication)
        parts << QStringLiteral("noRepl");
    if (m.encryptionParam)
        parts << QStringLiteral("iv=") + QString::fromLatin1(m.encryptionParam->toHex());
    if (m.compressionType)
        parts << QStringLiteral("comp=") + *m.compressionType;
    if (m.uncompressedMessageSize)
        parts << QStringLiteral("usize=") + QString::number(*m.uncompressedMessageSize);
    return parts.join(QLatin1Char(';'));
}

// ---- JsonWriter -------------------------------------------------------------------------------------------------

void Tst_frames::writerEscaping_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("plain") << QStringLiteral("abc") << QByteArray("\"abc\"");
    QTest::addRow("empty") << QString() << QByteArray("\"\"");
    QTest::addRow("quote") << QStringLiteral("a\"b") << QByteArray("\"a\\\"b\"");
    QTest::addRow("backslash") << QStringLiteral("a\\b") << QByteArray("\"a\\\\b\"");
    QTest::addRow("slash not escaped") << QStringLiteral("a/b") << QByteArray("\"a/b\"");
    QTest::addRow("backspace") << QStringLiteral("\b") << QByteArray("\"\\b\"");
    QTest::addRow("form feed") << QStringLiteral("\f") << QByteArray("\"\\f\"");
    QTest::addRow("newline") << QStringLiteral("\n") << QByteArray("\"\\n\"");
    QTest::addRow("carriage return") << QStringLiteral("\r") << QByteArray("\"\\r\"");
    QTest::addRow("tab") << QStringLiteral("\t") << QByteArray("\"\\t\"");
    QTest::addRow("NUL") << QString(QChar(0)) << QByteArray("\"\\u0000\"");
    QTest::addRow("0x01") << QString(QChar(1)) << QByteArray("\"\\u0001\"");
    QTest::addRow("0x0B uppercase hex") << QString(QChar(0x0b)) << QByteArray("\"\\u000B\"");
    QTest::addRow("0x1F") << QString(QChar(0x1f)) << QByteArray("\"\\u001F\"");
    QTest::addRow("0x1A") << QString(QChar(0x1a)) << QByteArray("\"\\u001A\"");
    QTest::addRow("space") << QStringLiteral(" ") << QByteArray("\" \"");
    QTest::addRow("DEL raw") << QString(QChar(0x7f)) << QByteArray("\"\x7f\"");
    QTest::addRow("latin1 raw utf8") << QStringLiteral("é") << QByteArray("\"\xc3\xa9\"");
    QTest::addRow("euro raw utf8") << QStringLiteral("€") << QByteArray("\"\xe2\x82\xac\"");
    QTest::addRow("emoji raw utf8") << QStringLiteral("😀") << QByteArray("\"\xf0\x9f\x98\x80\"");
    QTest::addRow("U+2028 raw") << QString(QChar(0x2028)) << QByteArray("\"\xe2\x80\xa8\"");
    QTest::addRow("lone high surrogate") << QString(QChar(0xd800)) << QByteArray("\"\xef\xbf\xbd\"");
    QTest::addRow("lone low surrogate") << QString(QChar(0xdc00)) + QStringLiteral("x")
                                        << QByteArray("\"\xef\xbf\xbdx\"");
    QTest::addRow("mixed") << QStringLiteral("k\"1\\\n\u00e9/") << QByteArray("\"k\\\"1\\\\\\n\xc3\xa9/\"");
    QTest::addRow("html not escaped") << QStringLiteral("<a href='x'>&</a>") << QByteArray("\"<a href='x'>&</a>\"");
}

void Tst_frames::writerEscaping()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    JsonWriter w;
    w.value(input);
    QCOMPARE(w.take(), expected);
    // The UTF-8 path must agree with the UTF-16 path for valid text.
    if (!input.contains(QChar(0xd800)) && !input.contains(QChar(0xdc00))) {
        JsonWriter u;
        u.valueUtf8(input.toUtf8());
        QCOMPARE(u.take(), expected);
    }
}

void Tst_frames::writerStructure()
{
    JsonWriter w(4); // tiny reserve: exercises growth
    w.beginObject();
    w.field("s", QStringLiteral("x"));
    w.field("i", 42);
    w.field("l", Q_INT64_C(-9223372036854775807) - 1);
    w.field("t", true);
    w.field("f", false);
    w.fieldNull("n");
    w.fieldRaw("raw", "CAAQAzAA");
    w.fieldBase64("b0", QByteArray());
    w.fieldBase64("b1", QByteArray("a"));
    w.fieldBase64("b2", QByteArray("ab"));
    w.fieldBase64("b3", QByteArray("abc"));
    w.fieldBase64("b4", QByteArray::fromHex("fbff"));
    w.field("list", QStringList{QStringLiteral("a"), QStringLiteral("b\"")});
    w.field("empty", QStringList());
    w.field("map", Properties{{QStringLiteral("k\n"), QStringLiteral("v")}, {QStringLiteral("k2"), QString()}});
    w.field("emptyMap", Properties());
    w.beginObject("nested");
    w.key(QStringLiteral("a"));
    w.beginArray();
    w.value(1);
    w.beginObject();
    w.endObject();
    w.valueNull();
    w.endArray();
    w.endObject();
    w.fieldUtf8("u", QByteArray("\xc3\xa9\"\x01"));
    w.endObject();
    QCOMPARE(w.view(),
             QByteArrayView("{\"s\":\"x\",\"i\":42,\"l\":-9223372036854775808,\"t\":true,\"f\":false,\"n\":null,"
                            "\"raw\":\"CAAQAzAA\",\"b0\":\"\",\"b1\":\"YQ==\",\"b2\":\"YWI=\",\"b3\":\"YWJj\","
                            "\"b4\":\"+/8=\",\"list\":[\"a\",\"b\\\"\"],\"empty\":[],"
                            "\"map\":{\"k\\n\":\"v\",\"k2\":\"\"},\"emptyMap\":{},\"nested\":{\"a\":[1,{},null]},"
                            "\"u\":\"\xc3\xa9\\\"\\u0001\"}"));
    const QByteArray out = w.take();
    QVERIFY(out.endsWith('}'));
    QCOMPARE(w.view().size(), 0);
    // Cross-check against Qt's parser: the output is valid JSON with the same values.
    const QJsonDocument doc = QJsonDocument::fromJson(out);
    QVERIFY(doc.isObject());
    QCOMPARE(doc.object().value(QStringLiteral("b4")).toString(), QStringLiteral("+/8="));
    QCOMPARE(doc.object().value(QStringLiteral("u")).toString(), QStringLiteral("é\"\u0001"));
}

// ---- ProducerAck ------------------------------------------------------------------------------------------------

void Tst_frames::producerAckEncode_data()
{
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("errorMsg");  // "<null>" = absent
    QTest::addColumn<QString>("messageId"); // "<null>" = absent
    QTest::addColumn<QString>("context");   // "<null>" = absent
    QTest::addColumn<QByteArray>("expected");

    const QString null = QStringLiteral("<null>");
    QTest::addRow("spec ok")
        << "ok" << null << "CAAQAzAA"
        << "1" << QByteArray(R"({"result":"ok","messageId":"CAAQAzAA","context":"1","errorCode":0,"schemaVersion":0})");
    QTest::addRow("ok no context") << "ok" << null << "CAAQAzAA" << null
                                   << QByteArray(
                                          R"({"result":"ok","messageId":"CAAQAzAA","errorCode":0,"schemaVersion":0})");
    QTest::addRow("error 3 no context")
        << "send-error:3"
        << "Unrecognized token 'x'" << null << null
        << QByteArray(
               R"({"result":"send-error:3","errorMsg":"Unrecognized token 'x'","errorCode":0,"schemaVersion":0})");
    QTest::addRow("error 7 with context")
        << "send-error:7"
        << "Invalid Base64 message-payload error=Illegal base64 character 2d" << null << "c-1"
        << QByteArray(
               R"({"result":"send-error:7","errorMsg":"Invalid Base64 message-payload error=Illegal base64 character 2d","context":"c-1","errorCode":0,"schemaVersion":0})");
    QTest::addRow("multi-line error")
        << "send-error:3"
        << "a\n at [Source: x]" << null << null
        << QByteArray(R"({"result":"send-error:3","errorMsg":"a\n at [Source: x]","errorCode":0,"schemaVersion":0})");
    QTest::addRow("escaped context") << "ok" << null << "CAAQAzAA"
                                     << "q\"\\é"
                                     << QByteArray("{\"result\":\"ok\",\"messageId\":\"CAAQAzAA\",\"context\":"
                                                   "\"q\\\"\\\\\xc3\xa9\",\"errorCode\":0,\"schemaVersion\":0}");
    QTest::addRow("empty context kept")
        << "ok" << null << "CAAQAzAA"
        << "" << QByteArray(R"({"result":"ok","messageId":"CAAQAzAA","context":"","errorCode":0,"schemaVersion":0})");
}

void Tst_frames::producerAckEncode()
{
    QFETCH(QString, result);
    QFETCH(QString, errorMsg);
    QFETCH(QString, messageId);
    QFETCH(QString, context);
    QFETCH(QByteArray, expected);
    auto opt = [](const QString &s) { return s == QLatin1String("<null>") ? std::nullopt : std::optional<QString>(s); };
    ProducerAck a;
    a.result = result;
    a.errorMsg = opt(errorMsg);
    a.messageId = opt(messageId);
    a.context = opt(context);
    QCOMPARE(a.encode(), expected);
    if (result == QLatin1String("ok")) {
        QCOMPARE(ProducerAck::encodeOk(messageId.toLatin1(), opt(context)), expected);
        QCOMPARE(ProducerAck::encodeOkText(messageId.toLatin1(), opt(context)), QString::fromUtf8(expected));
    }
    const Result<ProducerAck> back = ProducerAck::decode(expected);
    QVERIFY(back.ok());
    QCOMPARE(back->result, result);
    QCOMPARE(back->errorMsg, opt(errorMsg));
    QCOMPARE(back->messageId, opt(messageId));
    QCOMPARE(back->context, opt(context));
    QCOMPARE(back->encode(), expected);
}

void Tst_frames::producerAckDecode_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("result");
    QTest::addColumn<int>("failure"); // 0 = ok

    QTest::addRow("docs form") << QByteArray(R"({"result":"ok","messageId":"CAAQAw==","context":"1"})") << true << "ok"
                               << 0;
    QTest::addRow("unknown fields") << QByteArray(R"({"x":[1,{"y":null}],"result":"ok"})") << true << "ok" << 0;
    QTest::addRow("error 8") << QByteArray(R"({"result":"send-error:8","errorMsg":"timeout"})") << true
                             << "send-error:8" << 8;
    QTest::addRow("unknown result") << QByteArray(R"({"result":"send-timeout"})") << true << "send-timeout" << 8;
    QTest::addRow("numeric context") << QByteArray(R"({"result":"ok","context":5})") << true << "ok" << 0;
    QTest::addRow("missing result") << QByteArray(R"({"messageId":"CAAQAw=="})") << false << QString() << 0;
    QTest::addRow("not json") << QByteArray("ok") << false << QString() << 0;
    QTest::addRow("array") << QByteArray("[]") << false << QString() << 0;
    QTest::addRow("null") << QByteArray("null") << false << QString() << 0;
    QTest::addRow("truncated") << QByteArray(R"({"result":"ok")") << false << QString() << 0;
    QTest::addRow("object result") << QByteArray(R"({"result":{}})") << false << QString() << 0;
}

void Tst_frames::producerAckDecode()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QString, result);
    QFETCH(int, failure);
    const Result<ProducerAck> a = ProducerAck::decode(json);
    QCOMPARE(a.ok(), ok);
    if (!ok)
        return;
    QCOMPARE(a->result, result);
    QCOMPARE(a->isOk(), failure == 0);
    QCOMPARE(a->failureCode().has_value(), failure != 0);
    if (failure)
        QCOMPARE(int(*a->failureCode()), failure);
}

// ---- ProducerSend -----------------------------------------------------------------------------------------------

void Tst_frames::producerSendEncode_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<QByteArray>("expected");
    QTest::addRow("minimal") << 0 << QByteArray(R"({"payload":"aGVsbG8="})");
    QTest::addRow("empty payload") << 1 << QByteArray(R"({"payload":""})");
    QTest::addRow("full")
        << 2
        << QByteArray(
               R"({"payload":"AAE=","properties":{"k":"v","k2":"v\"2"},"context":"c1","key":"K","replicationClusters":["a","b"],"eventTime":"2021-10-29T23:01:38.12Z","sequenceId":5,"disableReplication":true,"deliverAt":1700000000000,"deliverAfterMs":2500,"encryptionParam":"AQIDBAUGBwgJCgsM","compressionType":"LZ4","uncompressedMessageSize":100})");
    QTest::addRow("pre-encoded payload") << 3 << QByteArray(R"({"payload":"YWJj","context":"7"})");
}

void Tst_frames::producerSendEncode()
{
    QFETCH(int, variant);
    QFETCH(QByteArray, expected);
    ProducerSend m;
    switch (variant) {
    case 0:
        m.payload = "hello";
        break;
    case 1:
        break;
    case 2:
        m.payload = QByteArray::fromHex("0001");
        m.properties = {{QStringLiteral("k"), QStringLiteral("v")}, {QStringLiteral("k2"), QStringLiteral("v\"2")}};
        m.context = QStringLiteral("c1");
        m.key = QStringLiteral("K");
        m.replicationClusters = QStringList{QStringLiteral("a"), QStringLiteral("b")};
        m.eventTime = QStringLiteral("2021-10-29T23:01:38.12Z");
        m.sequenceId = 5;
        m.disableReplication = true;
        m.deliverAt = 1700000000000;
        m.deliverAfterMs = 2500;
        m.encryptionParam = QByteArray::fromHex("0102030405060708090a0b0c");
        m.compressionType = QStringLiteral("LZ4");
        m.uncompressedMessageSize = 100;
        break;
    case 3:
        m.payload = "abc";
        m.payloadBase64 = "YWJj";
        m.context = QStringLiteral("7");
        break;
    }
    QCOMPARE(m.encode(), expected);
    // What the client encodes, the server decodes to the same message.
    const ProducerSendDecode d = decodeProducerSend(expected, true);
    QCOMPARE(int(d.outcome), int(ProducerSendDecode::Outcome::Send));
    QCOMPARE(summary(d.message), summary(m).replace(QStringLiteral("eventTime=2021-10-29T23:01:38.12Z@0"),
                                                    QStringLiteral("eventTime=2021-10-29T23:01:38.12Z@1635548498120")));
}

void Tst_frames::producerSendAccepted_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    // Payload forms.
    QTest::addRow("spec example")
        << QByteArray(R"({"payload":"SGVsbG8gV29ybGQ=","properties":{"key1":"value1","key2":"value2"},"context":"1"})")
        << "payload=48656c6c6f20576f726c64;props=key1=value1,key2=value2;context=1";
    QTest::addRow("empty payload") << QByteArray(R"({"payload":""})") << "payload=";
    QTest::addRow("unpadded payload") << QByteArray(R"({"payload":"YWJjZA"})") << "payload=61626364";
    QTest::addRow("non-zero trailing bits") << QByteArray(R"({"payload":"Cv=="})") << "payload=0a";
    QTest::addRow("escaped payload") << QByteArray(R"({"payload":"YW\u004aj"})") << "payload=616263";
    QTest::addRow("escaped slash in payload") << QByteArray(R"({"payload":"\/w=="})") << "payload=ff";
    QTest::addRow("numeric payload as text") << QByteArray(R"({"payload":1234})") << "payload=d76df8";
    QTest::addRow("escaped field name") << QByteArray(R"({"pay\u006coad":"YQ=="})") << "payload=61";
    QTest::addRow("whitespace everywhere")
        << QByteArray(" \t\r\n{ \"payload\" :\n\"YQ==\" , \"context\" : \"c\" }\n") << "payload=61;context=c";
    // Coercions (spec 3.0).
    QTest::addRow("numeric context") << QByteArray(R"({"payload":"","context":5})") << "payload=;context=5";
    QTest::addRow("float context keeps text")
        << QByteArray(R"({"payload":"","context":1.50})") << "payload=;context=1.50";
    QTest::addRow("exponent context keeps text")
        << QByteArray(R"({"payload":"","context":-1E+3})") << "payload=;context=-1E+3";
    QTest::addRow("huge integer context") << QByteArray(R"({"payload":"","context":123456789012345678901234567890})")
                                          << "payload=;context=123456789012345678901234567890";
    QTest::addRow("boolean context") << QByteArray(R"({"payload":"","context":true})") << "payload=;context=true";
    QTest::addRow("null context absent") << QByteArray(R"({"payload":"","context":null})") << "payload=";
    QTest::addRow("empty context kept") << QByteArray(R"({"payload":"","context":""})") << "payload=;context=";
    QTest::addRow("numeric key") << QByteArray(R"({"payload":"","key":42})") << "payload=;key=42";
    QTest::addRow("false key") << QByteArray(R"({"payload":"","key":false})") << "payload=;key=false";
    QTest::addRow("deliverAt number") << QByteArray(R"({"payload":"","deliverAt":123})") << "payload=;deliverAt=123";
    QTest::addRow("deliverAt numeric string")
        << QByteArray(R"({"payload":"","deliverAt":"123"})") << "payload=;deliverAt=123";
    QTest::addRow("deliverAt padded string")
        << QByteArray(R"({"payload":"","deliverAt":" 123 "})") << "payload=;deliverAt=123";
    QTest::addRow("deliverAt plus string")
        << QByteArray(R"({"payload":"","deliverAt":"+123"})") << "payload=;deliverAt=123";
    QTest::addRow("deliverAt empty string") << QByteArray(R"({"payload":"","deliverAt":""})") << "payload=";
    QTest::addRow("deliverAt blank string") << QByteArray(R"({"payload":"","deliverAt":"  "})") << "payload=";
    QTest::addRow("deliverAt 'null' string") << QByteArray(R"({"payload":"","deliverAt":"null"})") << "payload=";
    QTest::addRow("deliverAt null") << QByteArray(R"({"payload":"","deliverAt":null})") << "payload=";
    QTest::addRow("deliverAt float truncated")
        << QByteArray(R"({"payload":"","deliverAt":1.9})") << "payload=;deliverAt=1";
    QTest::addRow("deliverAt exponent") << QByteArray(R"({"payload":"","deliverAt":1e3})") << "payload=;deliverAt=1000";
    QTest::addRow("deliverAt negative ignored") << QByteArray(R"({"payload":"","deliverAt":-5})") << "payload=";
    QTest::addRow("deliverAt negative float ignored") << QByteArray(R"({"payload":"","deliverAt":-0.5})") << "payload=";
    QTest::addRow("deliverAt Long.MAX") << QByteArray(R"({"payload":"","deliverAt":9223372036854775807})")
                                        << "payload=;deliverAt=9223372036854775807";
    QTest::addRow("deliverAt 2^63 as double saturates")
        << QByteArray(R"({"payload":"","deliverAt":9.223372036854775807E18})")
        << "payload=;deliverAt=9223372036854775807";
    QTest::addRow("deliverAt precision of double")
        << QByteArray(R"({"payload":"","deliverAt":1.9999999999999999999})") << "payload=;deliverAt=2";
    QTest::addRow("deliverAt unicode digits")
        << QByteArray("{\"payload\":\"\",\"deliverAt\":\"\xd9\xa3\"}") << "payload=;deliverAt=3";
    QTest::addRow("deliverAfterMs") << QByteArray(R"({"payload":"","deliverAfterMs":"2500"})")
                                    << "payload=;deliverAfterMs=2500";
    QTest::addRow("both delays kept") << QByteArray(R"({"payload":"","deliverAt":10,"deliverAfterMs":20})")
                                      << "payload=;deliverAt=10;deliverAfterMs=20";
    QTest::addRow("sequenceId string") << QByteArray(R"({"payload":"","sequenceId":"-7"})") << "payload=;seq=-7";
    QTest::addRow("disableReplication true")
        << QByteArray(R"({"payload":"","disableReplication":true})") << "payload=;noRepl";
    QTest::addRow("disableReplication 1")
        << QByteArray(R"({"payload":"","disableReplication":1})") << "payload=;noRepl";
    QTest::addRow("disableReplication 0") << QByteArray(R"({"payload":"","disableReplication":0})") << "payload=";
    QTest::addRow("disableReplication \"TRUE\"")
        << QByteArray(R"({"payload":"","disableReplication":"TRUE"})") << "payload=;noRepl";
    QTest::addRow("disableReplication \"False\"")
        << QByteArray(R"({"payload":"","disableReplication":"False"})") << "payload=";
    QTest::addRow("disableReplication \"\"") << QByteArray(R"({"payload":"","disableReplication":""})") << "payload=";
    QTest::addRow("schemaVersion string ignored") << QByteArray(R"({"payload":"","schemaVersion":"3"})") << "payload=";
    QTest::addRow("keySchema number ignored")
        << QByteArray(R"({"payload":"","keySchema":3,"valueSchema":null})") << "payload=";
    QTest::addRow("batchSize ignored") << QByteArray(R"({"payload":"","batchSize":"4"})") << "payload=";
    // Properties, clusters.
    QTest::addRow("empty properties") << QByteArray(R"({"payload":"","properties":{}})") << "payload=";
    QTest::addRow("null properties") << QByteArray(R"({"payload":"","properties":null})") << "payload=";
    QTest::addRow("numeric property values")
        << QByteArray(R"({"payload":"","properties":{"a":1,"b":true,"c":1.0}})") << "payload=;props=a=1,b=true,c=1.0";
    QTest::addRow("duplicate property: first place, last value")
        << QByteArray(R"({"payload":"","properties":{"a":"1","b":"2","a":"3"}})") << "payload=;props=a=3,b=2";
    QTest::addRow("null then value for the same key")
        << QByteArray(R"({"payload":"","properties":{"a":null,"a":"x"}})") << "payload=;props=a=x";
    QTest::addRow("duplicate properties field: last wins")
        << QByteArray(R"({"payload":"","properties":{"a":"1"},"properties":{"b":"2"}})") << "payload=;props=b=2";
    QTest::addRow("unicode property") << QByteArray("{\"payload\":\"\",\"properties\":{\"\xc3\xa9\":\"\\u00e9\\n\"}}")
                                      << QStringLiteral("payload=;props=é=é\n");
    QTest::addRow("clusters") << QByteArray(R"({"payload":"","replicationClusters":["us","eu"]})")
                              << "payload=;clusters=[us,eu]";
    QTest::addRow("empty clusters") << QByteArray(R"({"payload":"","replicationClusters":[]})")
                                    << "payload=;clusters=[]";
    QTest::addRow("numeric cluster") << QByteArray(R"({"payload":"","replicationClusters":[1]})")
                                     << "payload=;clusters=[1]";
    QTest::addRow("null clusters") << QByteArray(R"({"payload":"","replicationClusters":null})") << "payload=";
    // Event time (spec 3.0).
    QTest::addRow("eventTime Z") << QByteArray(R"({"payload":"","eventTime":"2021-10-29T23:01:38.12Z"})")
                                 << "payload=;eventTime=2021-10-29T23:01:38.12Z@1635548498120";
    QTest::addRow("eventTime no seconds") << QByteArray(R"({"payload":"","eventTime":"2021-10-29T23:01Z"})")
                                          << "payload=;eventTime=2021-10-29T23:01Z@1635548460000";
    QTest::addRow("eventTime offset") << QByteArray(R"({"payload":"","eventTime":"2021-10-29T16:01:38.967-07:00"})")
                                      << "payload=;eventTime=2021-10-29T16:01:38.967-07:00@1635548498967";
    QTest::addRow("eventTime 1 ms") << QByteArray(R"({"payload":"","eventTime":"1970-01-01T00:00:00.001Z"})")
                                    << "payload=;eventTime=1970-01-01T00:00:00.001Z@1";
    QTest::addRow("eventTime null") << QByteArray(R"({"payload":"","eventTime":null})") << "payload=";
    // Unknown fields of every shape, and what Jackson never reads.
    QTest::addRow("unknown fields")
        << QByteArray(R"({"x":{"y":[1,2,{"z":null}]},"payload":"YQ==","w":-0.5e-3,"v":"\ud83d\ude00"})")
        << "payload=61";
    QTest::addRow("trailing garbage ignored") << QByteArray(R"({"payload":"YQ=="} trailing garbage)") << "payload=61";
    QTest::addRow("second document ignored") << QByteArray(R"({"payload":"YQ=="}{"payload":1})") << "payload=61";
    QTest::addRow("payload last wins") << QByteArray(R"({"payload":"-","payload":"YQ=="})") << "payload=61";
    QTest::addRow("encryption fields ignored without E2E")
        << QByteArray(R"({"payload":"","encryptionParam":"!!","compressionType":"LZ4"})") << "payload=;comp=LZ4";
    QTest::addRow("unknown compression is null")
        << QByteArray(R"({"payload":"","compressionType":"BROTLI"})") << "payload=";
    QTest::addRow("compression by ordinal")
        << QByteArray(R"({"payload":"","compressionType":2})") << "payload=;comp=ZLIB";
    QTest::addRow("compression by digit string")
        << QByteArray(R"({"payload":"","compressionType":"3"})") << "payload=;comp=ZSTD";
    QTest::addRow("compression padded") << QByteArray(R"({"payload":"","compressionType":" SNAPPY "})")
                                        << "payload=;comp=SNAPPY";
    QTest::addRow("compression out of range") << QByteArray(R"({"payload":"","compressionType":9})") << "payload=";
    QTest::addRow("compression is case sensitive")
        << QByteArray(R"({"payload":"","compressionType":"lz4"})") << "payload=";
    QTest::addRow("uncompressed size string")
        << QByteArray(R"({"payload":"","uncompressedMessageSize":"12"})") << "payload=;usize=12";
}

void Tst_frames::producerSendAccepted()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const ProducerSendDecode d = decodeProducerSend(json);
    QVERIFY2(d.outcome == ProducerSendDecode::Outcome::Send, qPrintable(d.errorMsg + QLatin1Char('|') + d.closeReason));
    QCOMPARE(summary(d.message), expected);
}

void Tst_frames::producerSendFailures_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("outcome");     // 1 = ErrorAck, 2 = Close
    QTest::addColumn<int>("code");        // WebSocketError for acks, close code for closes
    QTest::addColumn<QString>("message"); // exact, or a prefix ending in "..." (Jackson's text)
    QTest::addColumn<QString>("context"); // "<none>" = absent

    const QString none = QStringLiteral("<none>");
    const int ack = 1;
    const int close = 2;
    // JSON that cannot be read: error 3, no context.
    QTest::addRow("empty text") << QByteArray() << ack << 3 << "No content to map due to end-of-input..." << none;
    QTest::addRow("whitespace only") << QByteArray(" \n") << ack << 3 << "No content to map due to end-of-input..."
                                     << none;
    QTest::addRow("array")
        << QByteArray("[]") << ack << 3
        << "Cannot deserialize value of type `org.apache.pulsar.websocket.data.ProducerMessage` from Array value..."
        << none;
    QTest::addRow("array of object") << QByteArray(R"([{"payload":"YQ=="}])") << ack << 3
                                     << "Cannot deserialize value of type..." << none;
    QTest::addRow("string") << QByteArray(R"("payload")") << ack << 3 << "Cannot construct instance of..." << none;
    QTest::addRow("number") << QByteArray("5") << ack << 3 << "Cannot construct instance of..." << none;
    QTest::addRow("true") << QByteArray("true") << ack << 3 << "Cannot construct instance of..." << none;
    QTest::addRow("bad token") << QByteArray("x") << ack << 3 << "Unrecognized token 'x': was expecting..." << none;
    QTest::addRow("nullx") << QByteArray("nullx") << ack << 3 << "Unrecognized token 'nullx'..." << none;
    QTest::addRow("unterminated object") << QByteArray(R"({"payload":"YQ==")") << ack << 3
                                         << "Unexpected end-of-input..." << none;
    QTest::addRow("unterminated string") << QByteArray(R"({"payload":"YQ==)") << ack << 3
                                         << "Unexpected end-of-input..." << none;
    QTest::addRow("trailing comma")
        << QByteArray(R"({"payload":"YQ==",})") << ack << 3
        << "Unexpected character ('}' (code 125)): was expecting double-quote to start field name..." << none;
    QTest::addRow("single quotes") << QByteArray("{'payload':'YQ=='}") << ack << 3 << "Unexpected character ('''..."
                                   << none;
    QTest::addRow("comment") << QByteArray("{/*c*/\"payload\":\"\"}") << ack << 3 << "Unexpected character ('/'..."
                             << none;
    QTest::addRow("missing colon") << QByteArray(R"({"payload" "YQ=="})") << ack << 3
                                   << "Unexpected character ('\"' (code 34)): was expecting a colon..." << none;
    QTest::addRow("missing comma") << QByteArray(R"({"payload":"" "context":"c"})") << ack << 3
                                   << "Unexpected character ('\"' (code 34)): was expecting comma..." << none;
    QTest::addRow("raw newline in string") << QByteArray("{\"payload\":\"a\nb\"}") << ack << 3
                                           << "Illegal unquoted character ((CTRL-CHAR, code 10))..." << none;
    QTest::addRow("bad escape") << QByteArray(R"({"payload":"\x"})") << ack << 3
                                << "Unrecognized character escape 'x' (code 120)..." << none;
    QTest::addRow("bad unicode escape") << QByteArray(R"({"payload":"\u12G4"})") << ack << 3
                                        << "Unexpected character ('G'..." << none;
    QTest::addRow("leading zero") << QByteArray(R"({"payload":"","deliverAt":01})") << ack << 3
                                  << "Invalid numeric value: Leading zeroes not allowed..." << none;
    QTest::addRow("plus sign number") << QByteArray(R"({"payload":"","deliverAt":+1})") << ack << 3
                                      << "Unexpected character ('+' (code 43)): expected a valid value..." << none;
    QTest::addRow("dot without digits") << QByteArray(R"({"payload":"","deliverAt":1.})") << ack << 3
                                        << "Unexpected character..." << none;
    QTest::addRow("NaN") << QByteArray(R"({"payload":"","deliverAt":NaN})") << ack << 3 << "Unrecognized token 'NaN'..."
                         << none;
    QTest::addRow("bad literal") << QByteArray(R"({"payload":"","disableReplication":tru})") << ack << 3
                                 << "Unrecognized token 'tru'..." << none;
    QTest::addRow("error inside an unknown field")
        << QByteArray(R"({"payload":"","x":[1,]})") << ack << 3 << "Unexpected character (']'..." << none;
    // Type errors: Jackson stops at the first one, so even a context read earlier is not echoed.
    QTest::addRow("non-numeric string for long")
        << QByteArray(R"({"context":"c","payload":"","deliverAt":"abc"})") << ack << 3
        << "Cannot deserialize value of type `long` from String \"abc\": not a valid `long` value..." << none;
    QTest::addRow("decimal string for long")
        << QByteArray(R"({"payload":"","deliverAt":"1.5"})") << ack << 3
        << "Cannot deserialize value of type `long` from String \"1.5\"..." << none;
    QTest::addRow("long overflow number") << QByteArray(R"({"payload":"","deliverAt":9223372036854775808})") << ack << 3
                                          << "Numeric value (9223372036854775808) out of range of long..." << none;
    QTest::addRow("long overflow string") << QByteArray(R"({"payload":"","deliverAt":"9223372036854775808"})") << ack
                                          << 3 << "Cannot deserialize value of type `long` from String..." << none;
    QTest::addRow("long overflow float") << QByteArray(R"({"payload":"","deliverAt":1e19})") << ack << 3
                                         << "Numeric value (1e19) out of range of long..." << none;
    QTest::addRow("boolean for long") << QByteArray(R"({"payload":"","sequenceId":true})") << ack << 3
                                      << "Cannot deserialize value of type `long` from Boolean value..." << none;
    QTest::addRow("object for long") << QByteArray(R"({"payload":"","deliverAfterMs":{}})") << ack << 3
                                     << "Cannot deserialize value of type `long` from Object value..." << none;
    QTest::addRow("array for long") << QByteArray(R"({"payload":"","schemaVersion":[1]})") << ack << 3
                                    << "Cannot deserialize value of type `long` from Array value..." << none;
    QTest::addRow("object for string") << QByteArray(R"({"payload":{}})") << ack << 3
                                       << "Cannot deserialize value of type `java.lang.String` from Object value..."
                                       << none;
    QTest::addRow("array for context") << QByteArray(R"({"payload":"","context":["c"]})") << ack << 3
                                       << "Cannot deserialize value of type `java.lang.String` from Array value..."
                                       << none;
    QTest::addRow("string for properties") << QByteArray(R"({"payload":"","properties":"a=b"})") << ack << 3
                                           << "Cannot deserialize value of type `java.util.LinkedHashMap..." << none;
    QTest::addRow("array for properties") << QByteArray(R"({"payload":"","properties":[]})") << ack << 3
                                          << "Cannot deserialize value of type `java.util.LinkedHashMap..." << none;
    QTest::addRow("nested object property value")
        << QByteArray(R"({"payload":"","properties":{"a":{}}})") << ack << 3
        << "Cannot deserialize value of type `java.lang.String` from Object value..." << none;
    QTest::addRow("string for clusters") << QByteArray(R"({"payload":"","replicationClusters":"us"})") << ack << 3
                                         << "Cannot deserialize value of type `java.util.ArrayList..." << none;
    QTest::addRow("float for boolean") << QByteArray(R"({"payload":"","disableReplication":1.5})") << ack << 3
                                       << "Cannot coerce..." << none;
    QTest::addRow("bad boolean string")
        << QByteArray(R"({"payload":"","disableReplication":"yes"})") << ack << 3
        << "Cannot deserialize value of type `boolean` from String \"yes\": only \"true\" or \"false\" recognized..."
        << none;
    QTest::addRow("int overflow") << QByteArray(R"({"payload":"","uncompressedMessageSize":2147483648})") << ack << 3
                                  << "Numeric value (2147483648) out of range of int..." << none;
    QTest::addRow("float enum") << QByteArray(R"({"payload":"","compressionType":1.5})") << ack << 3
                                << "Cannot deserialize value of type..." << none;
    QTest::addRow("reference chain")
        << QByteArray(R"({"payload":"","deliverAt":"x"})") << ack << 3
        << "Cannot deserialize value of type `long` from String \"x\": not a valid `long` value\n at [Source: REDACTED "
           "(`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 27] (through reference chain: "
           "org.apache.pulsar.websocket.data.ProducerMessage[\"deliverAt\"])"
        << none;
    // JSON null: a null-pointer path, error 7 without context.
    QTest::addRow("null") << QByteArray("null") << ack << 7
                          << "Cannot read field \"context\" because \"sendRequest\" is null" << none;
    QTest::addRow("null with trailing text")
        << QByteArray("null }") << ack << 7 << "Cannot read field \"context\" because \"sendRequest\" is null" << none;
    // Payload problems: error 7 with the context echoed.
    QTest::addRow("missing payload")
        << QByteArray(R"({"context":"c1"})") << ack << 7
        << "Cannot invoke \"String.getBytes(java.nio.charset.Charset)\" because \"src\" is null"
        << "c1";
    QTest::addRow("null payload")
        << QByteArray(R"({"payload":null})") << ack << 7
        << "Cannot invoke \"String.getBytes(java.nio.charset.Charset)\" because \"src\" is null" << none;
    QTest::addRow("url-safe payload") << QByteArray(R"({"payload":"-_8=","context":"c2"})") << ack << 7
                                      << "Invalid Base64 message-payload error=Illegal base64 character 2d"
                                      << "c2";
    QTest::addRow("payload with newline escape")
        << QByteArray(R"({"payload":"YQ==\n","context":"c"})") << ack << 7
        << "Invalid Base64 message-payload error=Input byte array has incorrect ending byte at 4"
        << "c";
    QTest::addRow("payload with space") << QByteArray(R"({"payload":"Y Q==","context":7})") << ack << 7
                                        << "Invalid Base64 message-payload error=Illegal base64 character 20"
                                        << "7";
    QTest::addRow("payload one char")
        << QByteArray(R"({"payload":"Y"})") << ack << 7
        << "Invalid Base64 message-payload error=Input byte[] should at least have 2 bytes for base64 bytes" << none;
    QTest::addRow("payload bad padding")
        << QByteArray(R"({"payload":"YQ="})") << ack << 7
        << "Invalid Base64 message-payload error=Input byte array has wrong 4-byte ending unit" << none;
    QTest::addRow("payload numeric 5")
        << QByteArray(R"({"payload":5,"context":"n"})") << ack << 7
        << "Invalid Base64 message-payload error=Input byte[] should at least have 2 bytes for base64 bytes"
        << "n";
    QTest::addRow("payload non-latin1") << QByteArray("{\"payload\":\"YQ\xe2\x82\xac=\"}") << ack << 7
                                        << "Invalid Base64 message-payload error=Illegal base64 character 3f" << none;
    QTest::addRow("payload latin1 char") << QByteArray("{\"payload\":\"YQ\xc3\xa9=\"}") << ack << 7
                                         << "Invalid Base64 message-payload error=Illegal base64 character -17" << none;
    QTest::addRow("context after bad payload still echoed")
        << QByteArray(R"({"payload":"*","context":"late"})") << ack << 7
        << "Invalid Base64 message-payload error=Input byte[] should at least have 2 bytes for base64 bytes"
        << "late";
    // Event time (error 7, context echoed) and its uncaught cases (1011).
    QTest::addRow("eventTime without offset")
        << QByteArray(R"({"payload":"","context":"t","eventTime":"2021-10-29T23:01:38"})") << ack << 7
        << "Text '2021-10-29T23:01:38' could not be parsed at index 19"
        << "t";
    QTest::addRow("eventTime with space")
        << QByteArray(R"({"payload":"","eventTime":"2021-10-29 23:01:38.000"})") << ack << 7
        << "Text '2021-10-29 23:01:38.000' could not be parsed at index 10" << none;
    QTest::addRow("eventTime empty") << QByteArray(R"({"payload":"","eventTime":""})") << ack << 7
                                     << "Text '' could not be parsed at index 0" << none;
    QTest::addRow("eventTime number") << QByteArray(R"({"payload":"","eventTime":1635548498120})") << ack << 7
                                      << "Text '1635548498120' could not be parsed at index 0" << none;
    QTest::addRow("eventTime bad month")
        << QByteArray(R"({"payload":"","eventTime":"2021-13-29T23:01:38Z"})") << ack << 7
        << "Text '2021-13-29T23:01:38Z' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13"
        << none;
    QTest::addRow("eventTime epoch zero") << QByteArray(R"({"payload":"","eventTime":"1970-01-01T00:00Z"})") << close
                                          << 1011 << "Invalid timestamp : '0'" << none;
    QTest::addRow("eventTime negative") << QByteArray(R"({"payload":"","eventTime":"1969-12-31T23:59:59Z"})") << close
                                        << 1011 << "Invalid timestamp : '-1000'" << none;
    QTest::addRow("eventTime overflow") << QByteArray(R"({"payload":"","eventTime":"+999999999-12-31T23:59:59Z"})")
                                        << close << 1011 << "long overflow" << none;
    // A null property value closes the session (spec 3.1, 5.2).
    QTest::addRow("null property value") << QByteArray(R"({"payload":"","properties":{"a":"1","b":null}})") << close
                                         << 1011 << "Need Non-Null value for key: b" << none;
    QTest::addRow("null cluster") << QByteArray(R"({"payload":"","replicationClusters":["a",null]})") << close << 1011
                                  << "NullPointerException" << none;
    // Order: base64 is checked before properties, properties before eventTime.
    QTest::addRow("bad payload beats null property")
        << QByteArray(R"({"payload":"-","properties":{"a":null}})") << ack << 7
        << "Invalid Base64 message-payload error=Input byte[] should at least have 2 bytes for base64 bytes" << none;
    QTest::addRow("null property beats bad eventTime")
        << QByteArray(R"({"payload":"","properties":{"a":null},"eventTime":"x"})") << close << 1011
        << "Need Non-Null value for key: a" << none;
    // Nesting beyond Jackson's limit inside an ignored field.
    QByteArray deep = "{\"payload\":\"\",\"x\":";
    deep += QByteArray(1001, '[');
    deep += QByteArray(1001, ']');
    deep += '}';
    QTest::addRow("nesting depth") << deep << ack << 3
                                   << "Document nesting depth (1001) exceeds the maximum allowed (1000..." << none;
}

void Tst_frames::producerSendFailures()
{
    QFETCH(QByteArray, json);
    QFETCH(int, outcome);
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(QString, context);

    const ProducerSendDecode d = decodeProducerSend(json);
    QCOMPARE(int(d.outcome), outcome);
    const QString actual = outcome == 1 ? d.errorMsg : d.closeReason;
    if (message.endsWith(QLatin1String("...")))
        QVERIFY2(actual.startsWith(message.chopped(3)), qPrintable(actual));
    else
        QCOMPARE(actual, message);
    if (outcome == 1) {
        QCOMPARE(int(d.error), code);
        QCOMPARE(d.context.has_value(), context != QLatin1String("<none>"));
        if (d.context)
            QCOMPARE(*d.context, context);
        // The ack Pulsar sends for it.
        const QByteArray ackBytes = d.errorAck().encode();
        QVERIFY(ackBytes.startsWith(
            QByteArray("{\"result\":\"send-error:" + QByteArray::number(code) + "\",\"errorMsg\":\"")));
        QVERIFY(ackBytes.endsWith(",\"errorCode\":0,\"schemaVersion\":0}"));
    } else {
        QCOMPARE(d.closeCode, code);
    }
}

void Tst_frames::producerSendEncryption_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("expected"); // summary, or the error message

    QTest::addRow("iv decoded") << QByteArray(R"({"payload":"","encryptionParam":"AQIDBAUGBwgJCgsM"})") << true
                                << "payload=;iv=0102030405060708090a0b0c";
    QTest::addRow("blank iv ignored") << QByteArray(R"({"payload":"","encryptionParam":"  "})") << true << "payload=";
    QTest::addRow("bad iv") << QByteArray(R"({"payload":"","encryptionParam":"A-B"})") << false
                            << "Invalid Base64 encryptionParam error=Illegal base64 character 2d";
    QTest::addRow("compression with size")
        << QByteArray(R"({"payload":"","compressionType":"LZ4","uncompressedMessageSize":10})") << true
        << "payload=;comp=LZ4;usize=10";
    QTest::addRow("NONE without size") << QByteArray(R"({"payload":"","compressionType":"NONE"})") << true
                                       << "payload=;comp=NONE";
    QTest::addRow("compression without size")
        << QByteArray(R"({"payload":"","compressionType":"ZSTD"})") << false
        << "the params compressionType and uncompressedMessageSize should both empty or both non-empty";
    QTest::addRow("size without compression")
        << QByteArray(R"({"payload":"","uncompressedMessageSize":10})") << false
        << "the params compressionType and uncompressedMessageSize should both empty or both non-empty";
    QTest::addRow("unknown compression with size")
        << QByteArray(R"({"payload":"","compressionType":"X","uncompressedMessageSize":10})") << false
        << "the params compressionType and uncompressedMessageSize should both empty or both non-empty";
}

void Tst_frames::producerSendEncryption()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QString, expected);
    const ProducerSendDecode d = decodeProducerSend(json, true);
    if (ok) {
        QCOMPARE(int(d.outcome), int(ProducerSendDecode::Outcome::Send));
        QCOMPARE(summary(d.message), expected);
    } else {
        QCOMPARE(int(d.outcome), int(ProducerSendDecode::Outcome::ErrorAck));
        QCOMPARE(d.error, WebSocketError::PayloadEncodingError);
        QCOMPARE(d.errorMsg, expected);
    }
    // Without end-to-end encryption none of these is an error.
    QCOMPARE(int(decodeProducerSend(json, false).outcome), int(ProducerSendDecode::Outcome::Send));
}

void Tst_frames::producerSendKeepsBase64()
{
    // The received text is kept for the consumer side when it is what Pulsar would write anyway.
    QCOMPARE(decodeProducerSend(R"({"payload":"YWJj"})").message.payloadBase64, QByteArray("YWJj"));
    QCOMPARE(decodeProducerSend(R"({"payload":"YQ=="})").message.payloadBase64, QByteArray("YQ=="));
    // Unpadded or with non-zero trailing bits: re-encoded canonically.
    QCOMPARE(decodeProducerSend(R"({"payload":"YQ"})").message.payloadBase64, QByteArray("YQ=="));
    QCOMPARE(decodeProducerSend(R"({"payload":"Cv=="})").message.payloadBase64, QByteArray("Cg=="));
    QCOMPARE(decodeProducerSend(R"({"payload":"YWJ\u006a"})").message.payloadBase64, QByteArray("YWJj"));
    QCOMPARE(decodeProducerSend(R"({"payload":""})").message.payloadBase64, QByteArray());
}

// ---- ConsumerMessage --------------------------------------------------------------------------------------------

static EncryptionContext sampleEncryption(bool withBatch)
{
    EncryptionContext c;
    c.keys.append(
        {QStringLiteral("client-rsa.pem"), QByteArray::fromHex("0102"), {{QStringLiteral("k"), QStringLiteral("v")}}});
    c.param = QByteArray::fromHex("0a0b0c");
    c.compressionType = QStringLiteral("NONE");
    c.uncompressedMessageSize = 5;
    if (withBatch)
        c.batchSize = 3;
    c.encrypted = true;
    return c;
}

void Tst_frames::consumerMessageEncode_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("minimal")
        << 0
        << QByteArray(
               R"({"messageId":"CAAQAzAA","payload":"aGVsbG8=","properties":{},"publishTime":"2021-10-29T23:01:38.12Z","redeliveryCount":0})");
    QTest::addRow("all fields")
        << 1
        << QByteArray(
               R"({"messageId":"CAMQADAA","payload":"","properties":{"a":"1","b\"":"2"},"publishTime":"2021-10-29T16:01:38.967-07:00","redeliveryCount":2,"eventTime":"2021-10-29T23:01Z","key":"k\n"})");
    QTest::addRow("encryption, no batch")
        << 2
        << QByteArray(
               R"({"messageId":"CAAQAzAA","payload":"AA==","properties":{},"publishTime":"t","redeliveryCount":0,"encryptionContext":{"keys":{"client-rsa.pem":{"keyValue":"AQI=","metadata":{"k":"v"}}},"param":"CgsM","compressionType":"NONE","uncompressedMessageSize":5,"batchSize":null,"encrypted":true}})");
    QTest::addRow("encryption, batch")
        << 3
        << QByteArray(
               R"({"messageId":"CAAQAzAA","payload":"AA==","properties":{},"publishTime":"t","redeliveryCount":0,"encryptionContext":{"keys":{"client-rsa.pem":{"keyValue":"AQI=","metadata":{"k":"v"}}},"param":"CgsM","compressionType":"NONE","uncompressedMessageSize":5,"batchSize":3,"encrypted":true},"key":"x"})");
    QTest::addRow("utf8 payload and key")
        << 4
        << QByteArray("{\"messageId\":\"CAAQAzAA\",\"payload\":\"w6k=\",\"properties\":{\"\xc3\xa9\":\"\xe2\x82\xac\"},"
                      "\"publishTime\":\"t\",\"redeliveryCount\":0,\"key\":\"\xf0\x9f\x98\x80\"}");
}

void Tst_frames::consumerMessageEncode()
{
    QFETCH(int, variant);
    QFETCH(QByteArray, expected);
    ConsumerMessage m;
    m.messageId = QStringLiteral("CAAQAzAA");
    m.publishTime = QStringLiteral("t");
    switch (variant) {
    case 0:
        m.payload = "hello";
        m.publishTime = QStringLiteral("2021-10-29T23:01:38.12Z");
        break;
    case 1:
        m.messageId = QStringLiteral("CAMQADAA");
        m.properties = {{QStringLiteral("a"), QStringLiteral("1")}, {QStringLiteral("b\""), QStringLiteral("2")}};
        m.publishTime = QStringLiteral("2021-10-29T16:01:38.967-07:00");
        m.redeliveryCount = 2;
        m.eventTime = QStringLiteral("2021-10-29T23:01Z");
        m.key = QStringLiteral("k\n");
        break;
    case 2:
        m.payload = QByteArray(1, '\0');
        m.encryptionContext = sampleEncryption(false);
        break;
    case 3:
        m.payload = QByteArray(1, '\0');
        m.encryptionContext = sampleEncryption(true);
        m.key = QStringLiteral("x");
        break;
    case 4:
        m.payload = QStringLiteral("é").toUtf8();
        m.properties = {{QStringLiteral("é"), QStringLiteral("€")}};
        m.key = QStringLiteral("😀");
        break;
    }
    QCOMPARE(m.encode(), expected);

    // The server's path with pre-encoded pieces writes the same bytes.
    const QByteArray id = m.messageId.toLatin1();
    const QByteArray publish = m.publishTime.toUtf8();
    const QByteArray event = m.eventTime ? m.eventTime->toUtf8() : QByteArray();
    const QByteArray b64 = m.payload.toBase64();
    ConsumerMessageView v;
    v.messageIdBase64 = id;
    v.payload = b64;
    v.payloadIsBase64 = true;
    v.properties = &m.properties;
    v.publishTime = publish;
    v.redeliveryCount = m.redeliveryCount;
    v.eventTime = event;
    v.encryptionContext = m.encryptionContext ? &*m.encryptionContext : nullptr;
    v.key = m.key ? &*m.key : nullptr;
    QCOMPARE(encodeConsumerMessage(v), expected);
    v.payload = m.payload;
    v.payloadIsBase64 = false;
    QCOMPARE(encodeConsumerMessage(v), expected);

    // And the client reads back what was written.
    const Result<ConsumerMessage> back = ConsumerMessage::decode(expected);
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    QCOMPARE(back->encode(), expected);
}

void Tst_frames::consumerMessageDecode_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("error"); // ErrorCode, 0 = ok
    QTest::addColumn<QString>("payloadHex");

    QTest::addRow("docs example (pre-3.0 batchSize bean)")
        << QByteArray(
               R"({"messageId":"CAMQADAA","payload":"SGVsbG8gV29ybGQ=","properties":{"key1":"value1"},"publishTime":"2021-10-29T16:01:38.967-07:00","redeliveryCount":0,"encryptionContext":{"keys":{},"param":"","compressionType":"NONE","uncompressedMessageSize":0,"batchSize":{"empty":false,"present":true}}})")
        << 0 << "48656c6c6f20576f726c64";
    QTest::addRow("minimal") << QByteArray(R"({"messageId":"CAAQAzAA","payload":""})") << 0 << "";
    QTest::addRow("unknown fields, reordered")
        << QByteArray(R"({"z":1,"payload":"YQ==","publishTime":"t","messageId":"CAAQAzAA"})") << 0 << "61";
    QTest::addRow("null property value tolerated")
        << QByteArray(R"({"messageId":"x","payload":"","properties":{"a":null}})") << 0 << "";
    QTest::addRow("missing messageId") << QByteArray(R"({"payload":""})") << int(ErrorCode::InvalidField) << "";
    QTest::addRow("missing payload") << QByteArray(R"({"messageId":"x"})") << int(ErrorCode::InvalidField) << "";
    QTest::addRow("bad payload base64") << QByteArray(R"({"messageId":"x","payload":"a b"})")
                                        << int(ErrorCode::InvalidBase64) << "";
    QTest::addRow("bad key base64")
        << QByteArray(R"({"messageId":"x","payload":"","encryptionContext":{"keys":{"k":{"keyValue":"-"}}}})")
        << int(ErrorCode::InvalidBase64) << "";
    QTest::addRow("encryptionContext not an object")
        << QByteArray(R"({"messageId":"x","payload":"","encryptionContext":5})") << int(ErrorCode::InvalidField) << "";
    QTest::addRow("not json") << QByteArray("{") << int(ErrorCode::InvalidJson) << "";
    QTest::addRow("null") << QByteArray("null") << int(ErrorCode::InvalidJson) << "";
    QTest::addRow("array") << QByteArray("[1]") << int(ErrorCode::InvalidJson) << "";
    QTest::addRow("object for publishTime")
        << QByteArray(R"({"messageId":"x","payload":"","publishTime":{}})") << int(ErrorCode::InvalidJson) << "";
}

void Tst_frames::consumerMessageDecode()
{
    QFETCH(QByteArray, json);
    QFETCH(int, error);
    QFETCH(QString, payloadHex);
    const Result<ConsumerMessage> m = ConsumerMessage::decode(json);
    QCOMPARE(m.ok(), error == 0);
    if (error) {
        QCOMPARE(int(m.error().code), error);
        QVERIFY(!m.error().message.isEmpty());
    } else {
        QCOMPARE(QString::fromLatin1(m->payload.toHex()), payloadHex);
    }
}

void Tst_frames::consumerMessageRoundTrip()
{
    const Result<ConsumerMessage> m = ConsumerMessage::decode(
        R"({"messageId":"CMDEBxAqGAIgBTAK","payload":"AAE=","properties":{"b":"2","a":"1"},"publishTime":"p","redeliveryCount":"3","eventTime":"e","key":7})");
    QVERIFY(m.ok());
    QCOMPARE(m->messageId, QStringLiteral("CMDEBxAqGAIgBTAK"));
    QCOMPARE(MessageId::fromBase64(QStringView(m->messageId))->toString(), QStringLiteral("123456:42:2:5"));
    QCOMPARE(m->payload, QByteArray::fromHex("0001"));
    QCOMPARE(m->properties.size(), 2);
    QCOMPARE(m->properties[0].first, QStringLiteral("b"));
    QCOMPARE(m->redeliveryCount, 3);
    QCOMPARE(*m->eventTime, QStringLiteral("e"));
    QCOMPARE(*m->key, QStringLiteral("7"));
    QVERIFY(!m->encryptionContext);
    QCOMPARE(
        m->encode(),
        QByteArray(
            R"({"messageId":"CMDEBxAqGAIgBTAK","payload":"AAE=","properties":{"b":"2","a":"1"},"publishTime":"p","redeliveryCount":3,"eventTime":"e","key":"7"})"));
}

void Tst_frames::serverFrame_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("kind"); // 0 message, 1 end of topic, -1 error
    QTest::addColumn<bool>("endOfTopic");

    QTest::addRow("end of topic false") << QByteArray(R"({"endOfTopic":false})") << 1 << false;
    QTest::addRow("end of topic true") << QByteArray(R"({"endOfTopic":true})") << 1 << true;
    QTest::addRow("message") << QByteArray(R"({"messageId":"CAAQAzAA","payload":""})") << 0 << false;
    QTest::addRow("message wins over endOfTopic")
        << QByteArray(R"({"endOfTopic":true,"messageId":"CAAQAzAA","payload":""})") << 0 << false;
    QTest::addRow("neither") << QByteArray(R"({})") << -1 << false;
    QTest::addRow("garbage") << QByteArray("]") << -1 << false;
}

void Tst_frames::serverFrame()
{
    QFETCH(QByteArray, json);
    QFETCH(int, kind);
    QFETCH(bool, endOfTopic);
    const Result<ConsumerServerFrame> f = ConsumerServerFrame::decode(json);
    QCOMPARE(f.ok(), kind >= 0);
    if (kind < 0)
        return;
    QCOMPARE(int(f->kind), kind);
    if (kind == 1)
        QCOMPARE(f->endOfTopic.endOfTopic, endOfTopic);
}

void Tst_frames::endOfTopic()
{
    QCOMPARE(EndOfTopicResponse{false}.encode(), QByteArray(R"({"endOfTopic":false})"));
    QCOMPARE(EndOfTopicResponse{true}.encode(), QByteArray(R"({"endOfTopic":true})"));
    QCOMPARE(EndOfTopicResponse::decode(R"({"endOfTopic":true})")->endOfTopic, true);
    QCOMPARE(EndOfTopicResponse::decode(R"( {"endOfTopic" : false} )")->endOfTopic, false);
    QVERIFY(!EndOfTopicResponse::decode(R"({})").ok());
    QVERIFY(!EndOfTopicResponse::decode(R"({"endOfTopic":{}})").ok());
}

// ---- ConsumerCommand --------------------------------------------------------------------------------------------

void Tst_frames::consumerCommandEncode_data()
{
    QTest::addColumn<int>("variant");
    QTest::addColumn<QByteArray>("expected");
    // Spec 3.4's examples, byte for byte.
    QTest::addRow("ack") << 0 << QByteArray(R"({"messageId":"CAAQAzAA"})");
    QTest::addRow("nack") << 1 << QByteArray(R"({"type":"negativeAcknowledge","messageId":"CAAQAzAA"})");
    QTest::addRow("permit") << 2 << QByteArray(R"({"type":"permit","permitMessages":100})");
    QTest::addRow("unsubscribe") << 3 << QByteArray(R"({"type":"unsubscribe"})");
    QTest::addRow("isEndOfTopic") << 4 << QByteArray(R"({"type":"isEndOfTopic"})");
}

void Tst_frames::consumerCommandEncode()
{
    QFETCH(int, variant);
    QFETCH(QByteArray, expected);
    const QString id = QStringLiteral("CAAQAzAA");
    const ConsumerCommand c = variant == 0   ? ConsumerCommand::ack(id)
                              : variant == 1 ? ConsumerCommand::negativeAcknowledge(id)
                              : variant == 2 ? ConsumerCommand::permit(100)
                              : variant == 3 ? ConsumerCommand::unsubscribe()
                                             : ConsumerCommand::isEndOfTopic();
    QCOMPARE(c.encode(), expected);
    QCOMPARE(c.encodeText(), QString::fromUtf8(expected));
    const ConsumerCommandOutcome o = decodeConsumerCommand(expected);
    const ConsumerCommandOutcome::Action actions[] = {
        ConsumerCommandOutcome::Action::Ack, ConsumerCommandOutcome::Action::NegativeAck,
        ConsumerCommandOutcome::Action::Permit, ConsumerCommandOutcome::Action::Unsubscribe,
        ConsumerCommandOutcome::Action::IsEndOfTopic};
    QCOMPARE(int(o.action), int(actions[variant]));
}

void Tst_frames::consumerCommandTextMatchesUtf8()
{
    // Ids a caller passes through: what JsonWriter escapes or re-encodes must come out the same in UTF-16.
    const QString ids[] = {QStringLiteral("CAAQAzAA"),     QString(),
                           QStringLiteral("q\"uote"),      QStringLiteral("back\\slash"),
                           QStringLiteral("tab\tand\x01"), QStringLiteral("caf\u00e9 \U0001F600"),
                           QString(QChar(0xD800)) /* lone surrogate */};
    for (const QString &id : ids) {
        for (const ConsumerCommand &c : {ConsumerCommand::ack(id), ConsumerCommand::negativeAcknowledge(id)})
            QCOMPARE(c.encodeText(), QString::fromUtf8(c.encode()));
    }
    ConsumerCommand odd;
    odd.type = QStringLiteral("ty\"pe");
    odd.permitMessages = -7;
    QCOMPARE(odd.encodeText(), QString::fromUtf8(odd.encode()));
    QCOMPARE(ConsumerCommand().encodeText(), QStringLiteral("{}"));
}

void Tst_frames::consumerCommandDecode_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("action"); // ack nack permit unsubscribe eot close
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<QString>("detail"); // id text / permits / close reason

    QTest::addRow("ack, no type") << QByteArray(R"({"messageId":"CAAQAzAA"})") << "ack" << 0 << "CAAQAzAA";
    QTest::addRow("ack, type ack") << QByteArray(R"({"type":"ack","messageId":"CAAQAzAA"})") << "ack" << 0
                                   << "CAAQAzAA";
    QTest::addRow("ack, unknown type") << QByteArray(R"({"type":"whatever","messageId":"CMDEBxAqGAIgBTAK"})") << "ack"
                                       << 0 << "CMDEBxAqGAIgBTAK";
    QTest::addRow("ack, null type") << QByteArray(R"({"type":null,"messageId":"CAAQAzAA"})") << "ack" << 0
                                    << "CAAQAzAA";
    QTest::addRow("ack, type case differs")
        << QByteArray(R"({"type":"Permit","messageId":"CAAQAzAA"})") << "ack" << 0 << "CAAQAzAA";
    QTest::addRow("ack, legacy id") << QByteArray(R"({"messageId":"CAAQAw=="})") << "ack" << 0 << "CAAQAw==";
    QTest::addRow("ack, unpadded id") << QByteArray(R"({"messageId":"CAAQAw"})") << "ack" << 0 << "CAAQAw";
    QTest::addRow("ack, numeric type") << QByteArray(R"({"type":5,"messageId":"CAAQAzAA"})") << "ack" << 0
                                       << "CAAQAzAA";
    QTest::addRow("ack, extra fields") << QByteArray(R"({"messageId":"CAAQAzAA","permitMessages":3,"x":{}})") << "ack"
                                       << 0 << "CAAQAzAA";
    QTest::addRow("ack, trailing garbage") << QByteArray(R"({"messageId":"CAAQAzAA"}xx)") << "ack" << 0 << "CAAQAzAA";
    QTest::addRow("nack") << QByteArray(R"({"type":"negativeAcknowledge","messageId":"CAAQAzAA"})") << "nack" << 0
                          << "CAAQAzAA";
    QTest::addRow("permit") << QByteArray(R"({"type":"permit","permitMessages":100})") << "permit" << 0 << "100";
    QTest::addRow("permit string") << QByteArray(R"({"type":"permit","permitMessages":"7"})") << "permit" << 0 << "7";
    QTest::addRow("permit float") << QByteArray(R"({"type":"permit","permitMessages":2.9})") << "permit" << 0 << "2";
    QTest::addRow("permit negative") << QByteArray(R"({"type":"permit","permitMessages":-1})") << "permit" << 0 << "-1";
    QTest::addRow("unsubscribe") << QByteArray(R"({"type":"unsubscribe"})") << "unsubscribe" << 0 << "";
    QTest::addRow("unsubscribe ignores id")
        << QByteArray(R"({"type":"unsubscribe","messageId":"-"})") << "unsubscribe" << 0 << "";
    QTest::addRow("isEndOfTopic") << QByteArray(R"({"type":"isEndOfTopic"})") << "eot" << 0 << "";
    // Close with 3 (Jackson or id errors: IOException).
    QTest::addRow("malformed json") << QByteArray(R"({"messageId":)") << "close" << 3
                                    << "Failed to de-serialize from JSON";
    QTest::addRow("empty text") << QByteArray() << "close" << 3 << "Failed to de-serialize from JSON";
    QTest::addRow("array") << QByteArray("[]") << "close" << 3 << "Failed to de-serialize from JSON";
    QTest::addRow("object type") << QByteArray(R"({"type":{}})") << "close" << 3 << "Failed to de-serialize from JSON";
    QTest::addRow("permit without permitMessages")
        << QByteArray(R"({"type":"permit"})") << "close" << 3 << "Failed to de-serialize from JSON";
    QTest::addRow("permit null permitMessages") << QByteArray(R"({"type":"permit","permitMessages":null})") << "close"
                                                << 3 << "Failed to de-serialize from JSON";
    QTest::addRow("permit empty string") << QByteArray(R"({"type":"permit","permitMessages":""})") << "close" << 3
                                         << "Failed to de-serialize from JSON";
    QTest::addRow("permit not a number") << QByteArray(R"({"type":"permit","permitMessages":"x"})") << "close" << 3
                                         << "Failed to de-serialize from JSON";
    QTest::addRow("permit overflow") << QByteArray(R"({"type":"permit","permitMessages":3000000000})") << "close" << 3
                                     << "Failed to de-serialize from JSON";
    QTest::addRow("valid base64, not an id")
        << QByteArray(R"({"messageId":"AAAA"})") << "close" << 3 << "Failed to de-serialize from JSON";
    QTest::addRow("empty id") << QByteArray(R"({"messageId":""})") << "close" << 3
                              << "Failed to de-serialize from JSON";
    QTest::addRow("nack of a non-id") << QByteArray(R"({"type":"negativeAcknowledge","messageId":"aGVsbG8="})")
                                      << "close" << 3 << "Failed to de-serialize from JSON";
    // Close with 1011 (anything else the handler throws).
    QTest::addRow("invalid base64") << QByteArray(R"({"messageId":"CAAQ-zAA"})") << "close" << 1011
                                    << "Illegal base64 character 2d";
    QTest::addRow("id with newline") << QByteArray(R"({"messageId":"CAAQ\nAzAA"})") << "close" << 1011
                                     << "Illegal base64 character a";
    QTest::addRow("numeric id") << QByteArray(R"({"messageId":5})") << "close" << 1011
                                << "Input byte[] should at least have 2 bytes for base64 bytes";
    QTest::addRow("bad padding") << QByteArray(R"({"messageId":"CAAQAzA=="})") << "close" << 1011
                                 << "Input byte array has incorrect ending byte at 8";
    QTest::addRow("missing id")
        << QByteArray(R"({})") << "close" << 1011
        << "Cannot invoke \"String.getBytes(java.nio.charset.Charset)\" because \"src\" is null";
    QTest::addRow("null id in nack")
        << QByteArray(R"({"type":"negativeAcknowledge","messageId":null})") << "close" << 1011
        << "Cannot invoke \"String.getBytes(java.nio.charset.Charset)\" because \"src\" is null";
    QTest::addRow("json null") << QByteArray("null") << "close" << 1011
                               << "Cannot read field \"type\" because \"command\" is null";
}

void Tst_frames::consumerCommandDecode()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, action);
    QFETCH(int, closeCode);
    QFETCH(QString, detail);
    const ConsumerCommandOutcome o = decodeConsumerCommand(json);
    using A = ConsumerCommandOutcome::Action;
    const QHash<QString, A> names{
        {QStringLiteral("ack"), A::Ack},          {QStringLiteral("nack"), A::NegativeAck},
        {QStringLiteral("permit"), A::Permit},    {QStringLiteral("unsubscribe"), A::Unsubscribe},
        {QStringLiteral("eot"), A::IsEndOfTopic}, {QStringLiteral("close"), A::Close}};
    QCOMPARE(int(o.action), int(names.value(action)));
    switch (o.action) {
    case A::Ack:
    case A::NegativeAck:
        QCOMPARE(o.messageIdText, detail);
        QCOMPARE(o.messageId, MessageId::fromBase64(QStringView(detail)).value());
        break;
    case A::Permit:
        QCOMPARE(QString::number(o.permitMessages), detail);
        break;
    case A::Close:
        QCOMPARE(o.closeCode, closeCode);
        QCOMPARE(o.closeReason, detail);
        break;
    default:
        break;
    }
}

void Tst_frames::readerCommandDecode_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("action");
    QTest::addColumn<int>("closeCode");

    using A = ReaderCommandOutcome::Action;
    QTest::addRow("ack") << QByteArray(R"({"messageId":"CAAQAzAA"})") << int(A::FreeSlot) << 0;
    QTest::addRow("empty object") << QByteArray("{}") << int(A::FreeSlot) << 0;
    QTest::addRow("invalid id never parsed") << QByteArray(R"({"messageId":"-"})") << int(A::FreeSlot) << 0;
    QTest::addRow("permit") << QByteArray(R"({"type":"permit"})") << int(A::FreeSlot) << 0;
    QTest::addRow("isEndOfTopic") << QByteArray(R"({"type":"isEndOfTopic"})") << int(A::IsEndOfTopic) << 0;
    QTest::addRow("malformed") << QByteArray("{") << int(A::FreeSlotAndClose) << 3;
    QTest::addRow("empty text") << QByteArray() << int(A::FreeSlotAndClose) << 3;
    QTest::addRow("type mismatch") << QByteArray(R"({"permitMessages":"x"})") << int(A::FreeSlotAndClose) << 3;
    QTest::addRow("null") << QByteArray("null") << int(A::Close) << 1011;
}

void Tst_frames::readerCommandDecode()
{
    QFETCH(QByteArray, json);
    QFETCH(int, action);
    QFETCH(int, closeCode);
    const ReaderCommandOutcome o = decodeReaderCommand(json);
    QCOMPARE(int(o.action), action);
    QCOMPARE(o.closeCode, closeCode);
    if (closeCode == 1011)
        QCOMPARE(o.closeReason, QStringLiteral("Cannot read field \"type\" because \"command\" is null"));
}

QTEST_GUILESS_MAIN(Tst_frames)
#include "tst_frames.moc"
