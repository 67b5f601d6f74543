// PayloadCodec: every payload mode from _data() tables: the bytes each input gives, and for each refusal the
// exact translated text and the position of the offending character; pretty-printing keeps the user's tokens.
#include "models/payloadcodec.h"

#include <QTemporaryDir>
#include <QtTest>

using Gui::PayloadCodec;
using Gui::PayloadMode;
using Gui::PayloadResult;

Q_DECLARE_METATYPE(Gui::PayloadMode)

class TestPayloadCodec final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void encode_data();
    void encode();
    void prettyPrint_data();
    void prettyPrint();
    void file_data();
    void file();
    void fileModeNeedsAFile();
};

void TestPayloadCodec::encode_data()
{
    QTest::addColumn<PayloadMode>("mode");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::addColumn<qsizetype>("position");

    const auto ok = [](const char *name, PayloadMode mode, const QString &input, const QByteArray &bytes) {
        QTest::addRow("%s", name) << mode << input << bytes << QString() << qsizetype(-1);
    };
    const auto bad = [](const char *name, PayloadMode mode, const QString &input, const char *error,
                        qsizetype position) {
        QTest::addRow("%s", name) << mode << input << QByteArray() << QString::fromUtf8(error) << position;
    };

    // Text: UTF-8, as typed.
    ok("text", PayloadMode::Text, QStringLiteral("hello"), "hello");
    ok("text non-ascii", PayloadMode::Text, QStringLiteral("h\u00e9llo \u20ac"), "h\xc3\xa9llo \xe2\x82\xac");
    ok("text empty", PayloadMode::Text, QString(), QByteArray());
    ok("text not trimmed", PayloadMode::Text, QStringLiteral(" a\n"), " a\n");

    // JSON: validated, sent exactly as typed (key order, spacing, big numbers).
    ok("json object", PayloadMode::Json, QStringLiteral("{\"b\": 1, \"a\": [true, null]}"),
       "{\"b\": 1, \"a\": [true, null]}");
    ok("json big number kept", PayloadMode::Json, QStringLiteral("[12345678901234567890123]"),
       "[12345678901234567890123]");
    ok("json scalar number", PayloadMode::Json, QStringLiteral("42"), "42");
    ok("json scalar string", PayloadMode::Json, QStringLiteral(" \"x\" "), " \"x\" ");
    ok("json non-ascii", PayloadMode::Json, QStringLiteral("{\"k\":\"\u00e9\"}"), "{\"k\":\"\xc3\xa9\"}");
    bad("json missing value", PayloadMode::Json, QStringLiteral("{\"a\":}"),
        "Invalid JSON at line 1, column 7 (position 7): object is missing after a comma", 6);
    bad("json unterminated", PayloadMode::Json, QStringLiteral("{\"a\":1"),
        "Invalid JSON at line 1, column 7 (position 7): invalid termination by number", 6);
    bad("json second line", PayloadMode::Json, QStringLiteral("{\n  \"a\" 1\n}"),
        "Invalid JSON at line 2, column 8 (position 10): missing name separator", 9);
    bad("json position counts characters", PayloadMode::Json, QStringLiteral("{\"\u00e9\u00e9\":x}"),
        "Invalid JSON at line 1, column 7 (position 7): illegal number", 6);
    bad("json empty", PayloadMode::Json, QString(), "Invalid JSON at line 1, column 1 (position 1): illegal value", 0);
    bad("json two scalars", PayloadMode::Json, QStringLiteral("1 2"),
        "Invalid JSON at line 1, column 4 (position 4): missing value separator", 3);
    bad("json bad scalar", PayloadMode::Json, QStringLiteral("tru"),
        "Invalid JSON at line 1, column 2 (position 2): illegal value", 1);

    // Hex: separators and 0x prefixes allowed, two digits per byte.
    ok("hex", PayloadMode::Hex, QStringLiteral("48656c6C6f"), "Hello");
    ok("hex separators", PayloadMode::Hex, QStringLiteral("48 65:6c-6c\n6f"), "Hello");
    ok("hex 0x prefixes", PayloadMode::Hex, QStringLiteral("0x48 0X49"), "HI");
    ok("hex binary", PayloadMode::Hex, QStringLiteral("00ff7f80"), QByteArray("\x00\xff\x7f\x80", 4));
    ok("hex empty", PayloadMode::Hex, QString(), QByteArray());
    bad("hex bad character", PayloadMode::Hex, QStringLiteral("48 6g"), "Invalid hex character \"g\" at position 5", 4);
    bad("hex x inside a byte", PayloadMode::Hex, QStringLiteral("10x1"), "Invalid hex character \"x\" at position 3",
        2);
    bad("hex odd", PayloadMode::Hex, QStringLiteral("abc"), "Odd number of hex digits (3): every byte needs two", -1);

    // Base64: standard alphabet, padded; whitespace is layout.
    ok("base64", PayloadMode::Base64, QStringLiteral("SGVsbG8="), "Hello");
    ok("base64 lines", PayloadMode::Base64, QStringLiteral("SGVs\nbG8g\r\nV29y bGQ="), "Hello World");
    ok("base64 binary", PayloadMode::Base64, QStringLiteral("AP9/gA=="), QByteArray("\x00\xff\x7f\x80", 4));
    ok("base64 empty", PayloadMode::Base64, QString(), QByteArray());
    bad("base64 bad character", PayloadMode::Base64, QStringLiteral("SGV*bG8="),
        "Invalid Base64 character \"*\" at position 4", 3);
    bad("base64 url alphabet", PayloadMode::Base64, QStringLiteral("AP9_gA=="),
        "Invalid Base64 character \"_\" at position 4", 3);
    bad("base64 unpadded", PayloadMode::Base64, QStringLiteral("SGVsbG8"),
        "Base64 length 7 is not a multiple of 4 (missing padding?)", -1);
    bad("base64 padding inside", PayloadMode::Base64, QStringLiteral("SG==bG8="),
        "Invalid Base64: padding \"=\" is only allowed at the end", -1);
}

void TestPayloadCodec::encode()
{
    QFETCH(PayloadMode, mode);
    QFETCH(QString, input);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QFETCH(qsizetype, position);

    const PayloadResult result = PayloadCodec::encode(mode, input);
    QCOMPARE(result.error.text, error);
    QCOMPARE(result.error.position, position);
    QCOMPARE(result.ok(), error.isEmpty());
    if (result.ok())
        QCOMPARE(result.bytes, bytes);
}

void TestPayloadCodec::prettyPrint_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    QTest::addRow("object keeps order and numbers")
        << QStringLiteral("{\"b\":[1,2.50],\"a\":{\"x\":12345678901234567890}}")
        << QStringLiteral("{\n    \"b\": [\n        1,\n        2.50\n    ],\n    \"a\": {\n        \"x\": "
                          "12345678901234567890\n    }\n}")
        << QString();
    QTest::addRow("empty containers") << QStringLiteral("{ \"a\" : [ ] , \"b\" : { } }")
                                      << QStringLiteral("{\n    \"a\": [],\n    \"b\": {}\n}") << QString();
    QTest::addRow("strings untouched") << QStringLiteral("[\"a, b: {c}\", \"q\\\"uote\\\\\"]")
                                       << QStringLiteral("[\n    \"a, b: {c}\",\n    \"q\\\"uote\\\\\"\n]")
                                       << QString();
    QTest::addRow("scalar") << QStringLiteral("  42 ") << QStringLiteral("42") << QString();
    QTest::addRow("invalid") << QStringLiteral("[1,]") << QString()
                             << QStringLiteral(
                                    "Invalid JSON at line 1, column 5 (position 5): object is missing after a comma");
}

void TestPayloadCodec::prettyPrint()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    const PayloadResult result = PayloadCodec::prettyPrintJson(input);
    QCOMPARE(result.error.text, error);
    if (error.isEmpty()) {
        QCOMPARE(QString::fromUtf8(result.bytes), expected);
        // Still valid, and printing it again changes nothing.
        QVERIFY(PayloadCodec::encodeJson(expected).ok());
        QCOMPARE(PayloadCodec::prettyPrintJson(expected).bytes, result.bytes);
    }
}

void TestPayloadCodec::file_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<qint64>("maxSize");
    QTest::addColumn<QString>("error"); // {path} and {name} stand for the file's path and name

    QTest::addRow("binary") << QStringLiteral("a.bin") << QByteArray("\x00\x01\xff", 3) << qint64(1024) << QString();
    QTest::addRow("empty") << QStringLiteral("empty.bin") << QByteArray() << qint64(1024) << QString();
    QTest::addRow("exactly the maximum") << QStringLiteral("max.bin") << QByteArray(16, 'x') << qint64(16) << QString();
    QTest::addRow("too big") << QStringLiteral("big.bin") << QByteArray(17, 'x') << qint64(16)
                             << QStringLiteral("File \"{name}\" is 17 bytes, more than the maximum message size of 16 "
                                               "bytes");
    QTest::addRow("missing") << QString() << QByteArray() << qint64(16)
                             << QStringLiteral("File \"{path}\" does not exist");
}

void TestPayloadCodec::file()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(qint64, maxSize);
    QFETCH(QString, error);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(name.isEmpty() ? QStringLiteral("no-such-file") : name);
    if (!name.isEmpty()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
    }
    const PayloadResult result = PayloadCodec::readFile(path, maxSize);
    QCOMPARE(result.error.text,
             QString(error).replace(QStringLiteral("{path}"), path).replace(QStringLiteral("{name}"), name));
    if (error.isEmpty())
        QCOMPARE(result.bytes, content);

    // A directory is not a file.
    QCOMPARE(PayloadCodec::readFile(dir.path()).error.text,
             QStringLiteral("File \"%1\" does not exist").arg(dir.path()));
}

void TestPayloadCodec::fileModeNeedsAFile()
{
    const PayloadResult result = PayloadCodec::encode(PayloadMode::File, QStringLiteral("ignored"));
    QVERIFY(!result.ok());
    QCOMPARE(result.error.text, QStringLiteral("Choose a file to send"));
}

QTEST_GUILESS_MAIN(TestPayloadCodec)
#include "tst_payloadcodec.moc"
