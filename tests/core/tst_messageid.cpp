#include "protocol/messageid.h"

#include <QtTest>

#include <limits>

using namespace Pulsar;

// Message ids (spec 4): every worked example both ways, the Java base64 decoder's exact behaviour, malformed
// protobuf input, the human form, ordering.
class Tst_messageid : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void specExamples_data();
    void specExamples();
    void encodeFields_data();
    void encodeFields();
    void decodeAccepted_data();
    void decodeAccepted();
    void decodeRejected_data();
    void decodeRejected();
    void javaBase64_data();
    void javaBase64();
    void javaBase64LongInputs();
    void fromBase64Errors_data();
    void fromBase64Errors();
    void humanForm_data();
    void humanForm();
    void parseRejected_data();
    void parseRejected();
    void ordering_data();
    void ordering();
    void constants();
    void firstChunkRoundTrip();
    void hashAndEquality();
};

static MessageId makeId(qint64 ledger, qint64 entry, int partition = -1, int batchIndex = -1, int batchSize = 0,
                        bool hasBatchSize = true)
{
    MessageId id;
    id.ledgerId = ledger;
    id.entryId = entry;
    id.partition = partition;
    id.batchIndex = batchIndex;
    id.batchSize = batchSize;
    id.hasBatchSize = hasBatchSize;
    return id;
}

void Tst_messageid::specExamples_data()
{
    QTest::addColumn<QString>("base64");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qint64>("ledger");
    QTest::addColumn<qint64>("entry");
    QTest::addColumn<int>("partition");
    QTest::addColumn<int>("batchIndex");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<bool>("hasBatchSize");
    QTest::addColumn<QString>("human");

    // Spec 4, "Worked decode" and "More encodings".
    QTest::addRow("docs 0:3 legacy") << "CAAQAw==" << QByteArray::fromHex("08001003") << qint64(0) << qint64(3) << -1
                                     << -1 << 0 << false << "0:3:-1:-1";
    QTest::addRow("0:3 modern") << "CAAQAzAA" << QByteArray::fromHex("080010033000") << qint64(0) << qint64(3) << -1
                                << -1 << 0 << true << "0:3:-1:-1";
    QTest::addRow("3:0 consumer docs") << "CAMQADAA" << QByteArray::fromHex("080310003000") << qint64(3) << qint64(0)
                                       << -1 << -1 << 0 << true << "3:0:-1:-1";
    QTest::addRow("123456:42") << "CMDEBxAqMAA=" << QByteArray::fromHex("08c0c407102a3000") << qint64(123456)
                               << qint64(42) << -1 << -1 << 0 << true << "123456:42:-1:-1";
    QTest::addRow("123456:42 p2") << "CMDEBxAqGAIwAA==" << QByteArray::fromHex("08c0c407102a18023000") << qint64(123456)
                                  << qint64(42) << 2 << -1 << 0 << true << "123456:42:2:-1";
    QTest::addRow("123456:42 p2 b5/10") << "CMDEBxAqGAIgBTAK" << QByteArray::fromHex("08c0c407102a18022005300a")
                                        << qint64(123456) << qint64(42) << 2 << 5 << 10 << true << "123456:42:2:5";
    QTest::addRow("non-persistent") << "CAAQADAA" << QByteArray::fromHex("080010003000") << qint64(0) << qint64(0) << -1
                                    << -1 << 0 << true << "0:0:-1:-1";
}

void Tst_messageid::specExamples()
{
    QFETCH(QString, base64);
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, ledger);
    QFETCH(qint64, entry);
    QFETCH(int, partition);
    QFETCH(int, batchIndex);
    QFETCH(int, batchSize);
    QFETCH(bool, hasBatchSize);
    QFETCH(QString, human);

    // Decode direction.
    const Result<MessageId> decoded = MessageId::fromBase64(QStringView(base64));
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(decoded->ledgerId, ledger);
    QCOMPARE(decoded->entryId, entry);
    QCOMPARE(decoded->partition, partition);
    QCOMPARE(decoded->batchIndex, batchIndex);
    QCOMPARE(decoded->batchSize, batchSize);
    QCOMPARE(decoded->hasBatchSize, hasBatchSize);
    QCOMPARE(decoded->toBytes(), bytes);
    QCOMPARE(decoded->toString(), human);
    const Result<MessageId> fromLatin1 = MessageId::fromBase64(base64.toLatin1());
    QVERIFY(fromLatin1.ok());
    QCOMPARE(fromLatin1.value(), decoded.value());

    // Encode direction.
    const MessageId id = makeId(ledger, entry, partition, batchIndex, batchSize, hasBatchSize);
    QCOMPARE(id.toBytes(), bytes);
    QCOMPARE(id.toBase64(), base64.toLatin1());
    QCOMPARE(id.toBase64String(), base64);
    const Result<MessageId> parsed = MessageId::parse(human);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed.value(), id);
}

void Tst_messageid::encodeFields_data()
{
    QTest::addColumn<qint64>("ledger");
    QTest::addColumn<qint64>("entry");
    QTest::addColumn<int>("partition");
    QTest::addColumn<int>("batchIndex");
    QTest::addColumn<int>("batchSize");
    QTest::addColumn<bool>("hasBatchSize");
    QTest::addColumn<QByteArray>("bytes");

    QTest::addRow("zero") << qint64(0) << qint64(0) << -1 << -1 << 0 << true << QByteArray::fromHex("080010003000");
    QTest::addRow("127") << qint64(127) << qint64(127) << -1 << -1 << 0 << true << QByteArray::fromHex("087f107f3000");
    QTest::addRow("128") << qint64(128) << qint64(300) << -1 << -1 << 0 << true
                         << QByteArray::fromHex("08800110ac023000");
    QTest::addRow("ledger -1 is ten bytes") << qint64(-1) << qint64(-1) << -1 << -1 << 0 << true
                                            << QByteArray::fromHex("08ffffffffffffffffff0110ffffffffffffffffff013000");
    QTest::addRow("Long.MAX") << std::numeric_limits<qint64>::max() << qint64(1) << -1 << -1 << 0 << true
                              << QByteArray::fromHex("08ffffffffffffffff7f10013000");
    QTest::addRow("Long.MIN") << std::numeric_limits<qint64>::min() << qint64(0) << -1 << -1 << 0 << true
                              << QByteArray::fromHex("088080808080808080800110003000");
    QTest::addRow("partition 0 written") << qint64(1) << qint64(2) << 0 << -1 << 0 << true
                                         << QByteArray::fromHex("0801100218003000");
    QTest::addRow("partition -5 omitted")
        << qint64(1) << qint64(2) << -5 << -1 << 0 << true << QByteArray::fromHex("080110023000");
    QTest::addRow("batch index 0") << qint64(1) << qint64(2) << -1 << 0 << 3 << true
                                   << QByteArray::fromHex("0801100220003003");
    QTest::addRow("batch index -2: 10-byte int32")
        << qint64(1) << qint64(2) << -1 << -2 << 0 << true << QByteArray::fromHex("0801100220feffffffffffffffff013000");
    QTest::addRow("batch size -1: 10-byte int32")
        << qint64(1) << qint64(2) << -1 << -1 << -1 << true << QByteArray::fromHex("0801100230ffffffffffffffffff01");
    QTest::addRow("legacy no batch size")
        << qint64(1) << qint64(2) << 3 << 4 << 0 << false << QByteArray::fromHex("0801100218032004");
    QTest::addRow("int32 max partition") << qint64(1) << qint64(2) << std::numeric_limits<int>::max() << -1 << 0 << true
                                         << QByteArray::fromHex("0801100218ffffffff073000");
    QTest::addRow("big batch") << qint64(1) << qint64(2) << -1 << 999 << 1000 << true
                               << QByteArray::fromHex("0801100220e70730e807");
}

void Tst_messageid::encodeFields()
{
    QFETCH(qint64, ledger);
    QFETCH(qint64, entry);
    QFETCH(int, partition);
    QFETCH(int, batchIndex);
    QFETCH(int, batchSize);
    QFETCH(bool, hasBatchSize);
    QFETCH(QByteArray, bytes);

    const MessageId id = makeId(ledger, entry, partition, batchIndex, batchSize, hasBatchSize);
    QCOMPARE(id.toBytes().toHex(), bytes.toHex());
    const Result<MessageId> back = MessageId::fromBytes(bytes);
    QVERIFY(back.ok());
    QCOMPARE(back->ledgerId, ledger);
    QCOMPARE(back->entryId, entry);
    QCOMPARE(back->batchIndex, batchIndex);
    QCOMPARE(back->batchSize, hasBatchSize ? batchSize : 0);
    QCOMPARE(back->hasBatchSize, hasBatchSize);
    QCOMPARE(back->partition, partition >= 0 ? partition : -1);
    QCOMPARE(back->toBytes().toHex(), bytes.toHex());
}

void Tst_messageid::decodeAccepted_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("human");
    QTest::addColumn<QByteArray>("reencoded");

    QTest::addRow("reverse order") << QByteArray::fromHex("30001802100320050805") << "5:3:2:5"
                                   << QByteArray::fromHex("08051003180220053000");
    QTest::addRow("duplicate field: last wins")
        << QByteArray::fromHex("0801080210033000") << "2:3:-1:-1" << QByteArray::fromHex("080210033000");
    QTest::addRow("unknown varint field 9")
        << QByteArray::fromHex("080110024801") << "1:2:-1:-1" << QByteArray::fromHex("08011002");
    QTest::addRow("unknown fixed64") << QByteArray::fromHex("080110024901020304050607083000") << "1:2:-1:-1"
                                     << QByteArray::fromHex("080110023000");
    QTest::addRow("unknown fixed32") << QByteArray::fromHex("080110024d010203043000") << "1:2:-1:-1"
                                     << QByteArray::fromHex("080110023000");
    QTest::addRow("unknown length-delimited") << QByteArray::fromHex("08011002520361626330 00").replace(' ', "")
                                              << "1:2:-1:-1" << QByteArray::fromHex("080110023000");
    QTest::addRow("topic name field 8 skipped") << QByteArray::fromHex("0801100242017830 00").replace(' ', "")
                                                << "1:2:-1:-1" << QByteArray::fromHex("080110023000");
    QTest::addRow("ack_set unpacked") << QByteArray::fromHex("080110022801287f3000") << "1:2:-1:-1"
                                      << QByteArray::fromHex("080110023000");
    QTest::addRow("ack_set packed") << QByteArray::fromHex("08011002 2a03 01ff01 3000").replace(' ', "") << "1:2:-1:-1"
                                    << QByteArray::fromHex("080110023000");
    QTest::addRow("ack_set packed empty")
        << QByteArray::fromHex("080110022a003000") << "1:2:-1:-1" << QByteArray::fromHex("080110023000");
    QTest::addRow("known field, wrong wire type, skipped")
        << QByteArray::fromHex("0801100212000801") << "1:2:-1:-1" << QByteArray::fromHex("08011002");
    QTest::addRow("negative partition 10 bytes") << QByteArray::fromHex("0801100218feffffffffffffffff013000")
                                                 << "1:2:-2:-1" << QByteArray::fromHex("080110023000");
    QTest::addRow("int32 from a 5-byte varint")
        << QByteArray::fromHex("0801100220ffffffff0f3000") << "1:2:-1:-1" << QByteArray::fromHex("080110023000");
    QTest::addRow("overlong varint zero")
        << QByteArray::fromHex("0880001002") << "0:2:-1:-1" << QByteArray::fromHex("08001002");
    QTest::addRow("10th byte high bits dropped") << QByteArray::fromHex("08ffffffffffffffffff7f1000") << "-1:0:-1:-1"
                                                 << QByteArray::fromHex("08ffffffffffffffffff011000");
    QTest::addRow("ledger >= 2^63 wraps like Java")
        << QByteArray::fromHex("0880808080808080808001100130 00").replace(' ', "") << "-9223372036854775808:1:-1:-1"
        << QByteArray::fromHex("0880808080808080808001100130 00").replace(' ', "");
    QTest::addRow("first chunk") << QByteArray::fromHex("0805100630003a06080110023000") << "5:6:-1:-1"
                                 << QByteArray::fromHex("0805100630003a06080110023000");
    QTest::addRow("field number 0 varint skipped")
        << QByteArray::fromHex("0005080110023000") << "1:2:-1:-1" << QByteArray::fromHex("080110023000");
}

void Tst_messageid::decodeAccepted()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, human);
    QFETCH(QByteArray, reencoded);

    const Result<MessageId> id = MessageId::fromBytes(bytes);
    QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().message));
    QCOMPARE(id->toString(), human);
    QCOMPARE(id->toBytes().toHex(), reencoded.toHex());
}

void Tst_messageid::decodeRejected_data()
{
    QTest::addColumn<QByteArray>("bytes");

    QTest::addRow("empty") << QByteArray();
    QTest::addRow("ledger only") << QByteArray::fromHex("0801");
    QTest::addRow("entry only") << QByteArray::fromHex("1001");
    QTest::addRow("batch size only") << QByteArray::fromHex("3000");
    QTest::addRow("truncated tag") << QByteArray::fromHex("0801100280");
    QTest::addRow("truncated ledger varint") << QByteArray::fromHex("08ff");
    QTest::addRow("truncated entry varint") << QByteArray::fromHex("080110ffff");
    QTest::addRow("11-byte varint") << QByteArray::fromHex("08ffffffffffffffffffff0110 01").replace(' ', "");
    QTest::addRow("11-byte tag") << QByteArray::fromHex("80808080808080808080800108011001");
    QTest::addRow("wire type 3 (start group)") << QByteArray::fromHex("080110025b");
    QTest::addRow("wire type 4 (end group)") << QByteArray::fromHex("080110025c");
    QTest::addRow("wire type 6") << QByteArray::fromHex("080110025e");
    QTest::addRow("wire type 7") << QByteArray::fromHex("080110025f");
    QTest::addRow("truncated fixed64") << QByteArray::fromHex("0801100249010203");
    QTest::addRow("truncated fixed32") << QByteArray::fromHex("080110024d0102");
    QTest::addRow("truncated length") << QByteArray::fromHex("0801100252056162");
    QTest::addRow("length beyond end, huge") << QByteArray::fromHex("0801100252ffffffffffffffff7f");
    QTest::addRow("length varint truncated") << QByteArray::fromHex("080110025280");
    QTest::addRow("packed ack_set truncated") << QByteArray::fromHex("080110022a0301");
    QTest::addRow("packed ack_set bad varint") << QByteArray::fromHex("080110022a02ffff");
    QTest::addRow("first chunk missing entry") << QByteArray::fromHex("080510063a020801");
    QTest::addRow("first chunk truncated") << QByteArray::fromHex("080510063a0a0801");
    QTest::addRow("only garbage") << QByteArray::fromHex("ffffffff");
    QTest::addRow("ascii text") << QByteArray("hello");
    QTest::addRow("ledger with wire type 2 only") << QByteArray::fromHex("0a0010011001");
    // first_chunk_message_id nested more deeply than any id Pulsar writes.
    QByteArray deep = QByteArray::fromHex("08011002");
    for (int i = 0; i < 12; ++i) {
        QByteArray outer = QByteArray::fromHex("080110023a");
        outer.append(char(deep.size()));
        outer.append(deep);
        deep = outer;
    }
    QTest::addRow("nesting too deep") << deep;
}

void Tst_messageid::decodeRejected()
{
    QFETCH(QByteArray, bytes);
    const Result<MessageId> id = MessageId::fromBytes(bytes);
    QVERIFY(!id.ok());
    QCOMPARE(id.error().code, ErrorCode::InvalidMessageId);
    QVERIFY(!id.error().message.isEmpty());
}

// Rows generated by running java.util.Base64.getDecoder().decode(String) on Java 17 (jshell).
void Tst_messageid::javaBase64_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");

    QTest::addRow("b0") << QStringLiteral(u"CAAQAzAA") << true << QByteArray::fromHex("080010033000") << QString();
    QTest::addRow("b1") << QStringLiteral(u"CAAQAw") << true << QByteArray::fromHex("08001003") << QString();
    QTest::addRow("b2") << QStringLiteral(u"CAAQAw=") << false << QByteArray()
                        << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b3") << QStringLiteral(u"CAAQAw==") << true << QByteArray::fromHex("08001003") << QString();
    QTest::addRow("b4") << QStringLiteral(u"CAAQ-w==") << false << QByteArray()
                        << QStringLiteral(u"Illegal base64 character 2d");
    QTest::addRow("b5") << QStringLiteral(u"CAAQ_w==") << false << QByteArray()
                        << QStringLiteral(u"Illegal base64 character 5f");
    QTest::addRow("b6") << QStringLiteral(u"CAAQ Aw==") << false << QByteArray()
                        << QStringLiteral(u"Illegal base64 character 20");
    QTest::addRow("b7") << QStringLiteral(u"CAAQ\u000aAw==") << false << QByteArray()
                        << QStringLiteral(u"Illegal base64 character a");
    QTest::addRow("b8") << QStringLiteral(u"CAAQ\u0009Aw==") << false << QByteArray()
                        << QStringLiteral(u"Illegal base64 character 9");
    QTest::addRow("b9") << QStringLiteral(u"5") << false << QByteArray()
                        << QStringLiteral(u"Input byte[] should at least have 2 bytes for base64 bytes");
    QTest::addRow("b10") << QStringLiteral(u"55") << true << QByteArray::fromHex("e7") << QString();
    QTest::addRow("b11") << QStringLiteral(u"555") << true << QByteArray::fromHex("e79e") << QString();
    QTest::addRow("b12") << QStringLiteral(u"5555") << true << QByteArray::fromHex("e79e79") << QString();
    QTest::addRow("b13") << QStringLiteral(u"CAAQAw===") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has incorrect ending byte at 8");
    QTest::addRow("b14") << QStringLiteral(u"=") << false << QByteArray()
                         << QStringLiteral(u"Input byte[] should at least have 2 bytes for base64 bytes");
    QTest::addRow("b15") << QStringLiteral(u"==") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b16") << QStringLiteral(u"") << true << QByteArray::fromHex("") << QString();
    QTest::addRow("b17") << QStringLiteral(u"CA==AA") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has incorrect ending byte at 4");
    QTest::addRow("b18") << QStringLiteral(u"CA\u00e9=") << false << QByteArray()
                         << QStringLiteral(u"Illegal base64 character -17");
    QTest::addRow("b19") << QStringLiteral(u"CAAQA\u0100==") << false << QByteArray()
                         << QStringLiteral(u"Illegal base64 character 3f");
    QTest::addRow("b20") << QStringLiteral(u"Cg==") << true << QByteArray::fromHex("0a") << QString();
    QTest::addRow("b21") << QStringLiteral(u"Cv==") << true << QByteArray::fromHex("0a") << QString();
    QTest::addRow("b22") << QStringLiteral(u"Cw") << true << QByteArray::fromHex("0b") << QString();
    QTest::addRow("b23") << QStringLiteral(u"C") << false << QByteArray()
                         << QStringLiteral(u"Input byte[] should at least have 2 bytes for base64 bytes");
    QTest::addRow("b24") << QStringLiteral(u"CAAQAw=a") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b25") << QStringLiteral(u"CA=A") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b26") << QStringLiteral(u"CAAQAzAA=") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b27") << QStringLiteral(u"CAAQAzA=") << true << QByteArray::fromHex("0800100330") << QString();
    QTest::addRow("b28") << QStringLiteral(u"CAAQAz==") << true << QByteArray::fromHex("08001003") << QString();
    QTest::addRow("b29") << QStringLiteral(u"AB=") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b30") << QStringLiteral(u"ABC=") << true << QByteArray::fromHex("0010") << QString();
    QTest::addRow("b31") << QStringLiteral(u"AB==") << true << QByteArray::fromHex("00") << QString();
    QTest::addRow("b32") << QStringLiteral(u"A===") << false << QByteArray()
                         << QStringLiteral(u"Last unit does not have enough valid bits");
    QTest::addRow("b33") << QStringLiteral(u"AB=C") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b34") << QStringLiteral(u"YWJj") << true << QByteArray::fromHex("616263") << QString();
    QTest::addRow("b35") << QStringLiteral(u"YWJjZA") << true << QByteArray::fromHex("61626364") << QString();
    QTest::addRow("b36") << QStringLiteral(u"YWJjZA==") << true << QByteArray::fromHex("61626364") << QString();
    QTest::addRow("b37") << QStringLiteral(u"YWJjZGU") << true << QByteArray::fromHex("6162636465") << QString();
    QTest::addRow("b38") << QStringLiteral(u"YWJjZGU=") << true << QByteArray::fromHex("6162636465") << QString();
    QTest::addRow("b39") << QStringLiteral(u"+/+/") << true << QByteArray::fromHex("fbffbf") << QString();
    QTest::addRow("b40") << QStringLiteral(u"////") << true << QByteArray::fromHex("ffffff") << QString();
    QTest::addRow("b41") << QStringLiteral(u"AAAA====") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b42") << QStringLiteral(u"AAAA=") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has wrong 4-byte ending unit");
    QTest::addRow("b43") << QStringLiteral(u"AAA=A") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has incorrect ending byte at 4");
    QTest::addRow("b44") << QStringLiteral(u"\U0001f600AA") << false << QByteArray()
                         << QStringLiteral(u"Illegal base64 character 3f");
    QTest::addRow("b45") << QStringLiteral(u"AA\U0001f600") << false << QByteArray()
                         << QStringLiteral(u"Illegal base64 character 3f");
    QTest::addRow("b46") << QStringLiteral(u"-") << false << QByteArray()
                         << QStringLiteral(u"Input byte[] should at least have 2 bytes for base64 bytes");
    QTest::addRow("b47") << QStringLiteral(u"_") << false << QByteArray()
                         << QStringLiteral(u"Input byte[] should at least have 2 bytes for base64 bytes");
    QTest::addRow("b48") << QStringLiteral(u"YQ==\u000a") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has incorrect ending byte at 4");
    QTest::addRow("b49") << QStringLiteral(u" YQ==") << false << QByteArray()
                         << QStringLiteral(u"Illegal base64 character 20");
    QTest::addRow("b50") << QStringLiteral(u"YQ==.") << false << QByteArray()
                         << QStringLiteral(u"Input byte array has incorrect ending byte at 4");
    QTest::addRow("b51") << QStringLiteral(u"YQ.=") << false << QByteArray()
                         << QStringLiteral(u"Illegal base64 character 2e");
    QTest::addRow("b52") << QStringLiteral(u"Y Q==") << false << QByteArray()
                         << QStringLiteral(u"Illegal base64 character 20");
}

void Tst_messageid::javaBase64()
{
    QFETCH(QString, input);
    QFETCH(bool, ok);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);

    const Result<QByteArray> r = decodeBase64Java(QStringView(input));
    QCOMPARE(r.ok(), ok);
    if (ok) {
        QCOMPARE(r.value().toHex(), bytes.toHex());
    } else {
        QCOMPARE(r.error().code, ErrorCode::InvalidBase64);
        QCOMPARE(r.error().message, message);
    }
    // The byte overload agrees whenever the text is Latin-1.
    bool latin1 = true;
    for (const QChar c : input)
        latin1 = latin1 && c.unicode() < 0x100;
    if (latin1) {
        const Result<QByteArray> b = decodeBase64Java(QByteArrayView(input.toLatin1()));
        QCOMPARE(b.ok(), ok);
        if (!ok)
            QCOMPARE(b.error().message, message);
        else
            QCOMPARE(b.value(), bytes);
    }
    // QByteArray's own strict decoder is not a substitute: it disagrees with Java on some of these rows.
}

// Inputs long enough for the 16-character blocks of the fast path: every length round-trips, and a character that
// is not a base64 letter, at any position, gives the message the character loop gives (Java's, as above).
void Tst_messageid::javaBase64LongInputs()
{
    QByteArray bytes;
    for (int n = 0; n <= 200; ++n) {
        const QByteArray encoded = bytes.toBase64();
        const Result<QByteArray> r = decodeBase64Java(QByteArrayView(encoded));
        QVERIFY2(r.ok(), qPrintable(QString::number(n)));
        QCOMPARE(r.value(), bytes);
        const QByteArray unpadded = bytes.toBase64(QByteArray::OmitTrailingEquals);
        QCOMPARE(decodeBase64Java(QByteArrayView(unpadded)).value(), bytes);
        bytes.append(char((n * 73 + 41) % 256));
    }

    const QByteArray valid = QByteArray("The quick brown fox jumps over the lazy dog. 012345").toBase64(); // no padding
    QCOMPARE(valid.size(), 68);
    static const QByteArray alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    for (int at = 0; at < valid.size(); ++at) {
        for (int c = 0; c < 256; ++c) {
            // The only valid case: padding that ends the last unit.
            if (alphabet.contains(char(c)) || (c == '=' && at == valid.size() - 1))
                continue;
            QByteArray input = valid;
            input[at] = char(c);
            QString expected;
            if (c != '=')
                expected =
                    QStringLiteral("Illegal base64 character ") + QString::number(int(static_cast<signed char>(c)), 16);
            else if (at % 4 == 3)
                expected = QStringLiteral("Input byte array has incorrect ending byte at ") + QString::number(at + 1);
            else if (at % 4 == 1)
                expected = QStringLiteral("Last unit does not have enough valid bits");
            else
                expected = QStringLiteral("Input byte array has wrong 4-byte ending unit");
            const Result<QByteArray> r = decodeBase64Java(QByteArrayView(input));
            QVERIFY2(!r.ok(), qPrintable(QStringLiteral("char %1 at %2").arg(c).arg(at)));
            QCOMPARE(r.error().message, expected);
        }
    }
}

void Tst_messageid::fromBase64Errors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");

    QTest::addRow("url-safe -") << "CAAQ-w==" << int(ErrorCode::InvalidBase64) << "Illegal base64 character 2d";
    QTest::addRow("url-safe _") << "CAAQ_w==" << int(ErrorCode::InvalidBase64) << "Illegal base64 character 5f";
    QTest::addRow("newline") << "CAAQ\nAzAA" << int(ErrorCode::InvalidBase64) << "Illegal base64 character a";
    QTest::addRow("space") << "CAAQ AzAA" << int(ErrorCode::InvalidBase64) << "Illegal base64 character 20";
    QTest::addRow("trailing newline") << "CAAQAzAA\n" << int(ErrorCode::InvalidBase64) << "Illegal base64 character a";
    QTest::addRow("empty decodes to no bytes") << "" << int(ErrorCode::InvalidMessageId) << QString();
    QTest::addRow("valid base64, not an id") << "AAAA" << int(ErrorCode::InvalidMessageId) << QString();
    QTest::addRow("valid base64, truncated id") << "CA==" << int(ErrorCode::InvalidMessageId) << QString();
}

void Tst_messageid::fromBase64Errors()
{
    QFETCH(QString, input);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Result<MessageId> id = MessageId::fromBase64(QStringView(input));
    QVERIFY(!id.ok());
    QCOMPARE(int(id.error().code), code);
    if (!message.isEmpty())
        QCOMPARE(id.error().message, message);
}

void Tst_messageid::humanForm_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ledger");
    QTest::addColumn<qint64>("entry");
    QTest::addColumn<int>("partition");
    QTest::addColumn<int>("batchIndex");
    QTest::addColumn<QString>("canonical");

    QTest::addRow("full") << "123456:42:2:5" << qint64(123456) << qint64(42) << 2 << 5 << "123456:42:2:5";
    QTest::addRow("short") << "123456:42" << qint64(123456) << qint64(42) << -1 << -1 << "123456:42:-1:-1";
    QTest::addRow("three parts") << "7:8:3" << qint64(7) << qint64(8) << 3 << -1 << "7:8:3:-1";
    QTest::addRow("earliest") << "-1:-1" << qint64(-1) << qint64(-1) << -1 << -1 << "-1:-1:-1:-1";
    QTest::addRow("latest") << "9223372036854775807:9223372036854775807" << std::numeric_limits<qint64>::max()
                            << std::numeric_limits<qint64>::max() << -1 << -1
                            << "9223372036854775807:9223372036854775807:-1:-1";
    QTest::addRow("min") << "-9223372036854775808:0" << std::numeric_limits<qint64>::min() << qint64(0) << -1 << -1
                         << "-9223372036854775808:0:-1:-1";
    QTest::addRow("zeros") << "0:0:0:0" << qint64(0) << qint64(0) << 0 << 0 << "0:0:0:0";
    QTest::addRow("leading zeros") << "007:08" << qint64(7) << qint64(8) << -1 << -1 << "7:8:-1:-1";
}

void Tst_messageid::humanForm()
{
    QFETCH(QString, text);
    QFETCH(qint64, ledger);
    QFETCH(qint64, entry);
    QFETCH(int, partition);
    QFETCH(int, batchIndex);
    QFETCH(QString, canonical);

    const Result<MessageId> id = MessageId::parse(text);
    QVERIFY2(id.ok(), qPrintable(id.ok() ? QString() : id.error().message));
    QCOMPARE(id->ledgerId, ledger);
    QCOMPARE(id->entryId, entry);
    QCOMPARE(id->partition, partition);
    QCOMPARE(id->batchIndex, batchIndex);
    QCOMPARE(id->toString(), canonical);
    const Result<MessageId> again = MessageId::parse(canonical);
    QVERIFY(again.ok());
    QCOMPARE(again.value(), id.value());
}

void Tst_messageid::parseRejected_data()
{
    QTest::addColumn<QString>("text");
    for (const char *s : {"",
                          "1",
                          "1:",
                          ":1",
                          "1:2:3:4:5",
                          "a:b",
                          "1:b",
                          "1:2:x",
                          "1:2:3:y",
                          " 1:2",
                          "1:2 ",
                          "+1:2",
                          "1:+2",
                          "9223372036854775808:0",
                          "1:2:2147483648",
                          "1:2:3:-2147483649",
                          "1.5:2",
                          "1::2",
                          "-:1",
                          "0x10:1",
                          "１:2"})
        QTest::addRow("%s", s) << QString::fromUtf8(s);
}

void Tst_messageid::parseRejected()
{
    QFETCH(QString, text);
    const Result<MessageId> id = MessageId::parse(text);
    QVERIFY(!id.ok());
    QCOMPARE(id.error().code, ErrorCode::InvalidMessageId);
}

void Tst_messageid::ordering_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("expected"); // sign of compare(a, b)

    QTest::addRow("equal") << "1:2:3:4"
                           << "1:2:3:4" << 0;
    QTest::addRow("ledger first") << "1:9:9:9"
                                  << "2:0:0:0" << -1;
    QTest::addRow("entry second") << "1:2:9:9"
                                  << "1:3:0:0" << -1;
    QTest::addRow("partition third") << "1:2:0:9"
                                     << "1:2:1:0" << -1;
    QTest::addRow("batch index last") << "1:2:3:4"
                                      << "1:2:3:5" << -1;
    QTest::addRow("non-batched before batched") << "1:2:3:-1"
                                                << "1:2:3:0" << -1;
    QTest::addRow("signed ledger") << "-1:-1"
                                   << "0:0" << -1;
    QTest::addRow("greater") << "5:0"
                             << "4:100" << 1;
    QTest::addRow("latest is greatest") << "9223372036854775807:9223372036854775807"
                                        << "9223372036854775807:0" << 1;
    QTest::addRow("partition -1 before 0") << "1:1:-1:-1"
                                           << "1:1:0:-1" << -1;
}

void Tst_messageid::ordering()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, expected);
    const MessageId x = MessageId::parse(a).value();
    const MessageId y = MessageId::parse(b).value();
    QCOMPARE(x < y, expected < 0);
    QCOMPARE(y<x, expected> 0);
    QCOMPARE(x == y, expected == 0);
    QCOMPARE(x != y, expected != 0);
    QCOMPARE(x <= y, expected <= 0);
    QCOMPARE(x >= y, expected >= 0);
    QCOMPARE(x > y, expected > 0);
}

void Tst_messageid::constants()
{
    QCOMPARE(MessageId::earliest().toString(), QStringLiteral("-1:-1:-1:-1"));
    QCOMPARE(MessageId::latest().toString(), QStringLiteral("9223372036854775807:9223372036854775807:-1:-1"));
    // Java's MessageId.earliest.toByteArray(): both longs as ten-byte varints, then batch_size 0.
    QCOMPARE(MessageId::earliest().toBytes().toHex(), QByteArray("08ffffffffffffffffff0110ffffffffffffffffff013000"));
    QCOMPARE(MessageId::latest().toBytes().toHex(), QByteArray("08ffffffffffffffff7f10ffffffffffffffff7f3000"));
    QVERIFY(MessageId::earliest() < MessageId::latest());
    QVERIFY(!MessageId::earliest().isBatch());
    QVERIFY(makeId(1, 2, -1, 0, 2).isBatch());
    QVERIFY(!makeId(1, 2, -1, 0, 0).isBatch());
}

void Tst_messageid::firstChunkRoundTrip()
{
    MessageId id = makeId(10, 20, 1);
    id.firstChunk = std::make_shared<const MessageId>(makeId(10, 15, 1));
    const QByteArray bytes = id.toBytes();
    QCOMPARE(bytes.toHex(), QByteArray("080a1014180130003a08080a100f18013000"));
    const Result<MessageId> back = MessageId::fromBytes(bytes);
    QVERIFY(back.ok());
    QVERIFY(back->firstChunk);
    QCOMPARE(back->firstChunk->entryId, qint64(15));
    QCOMPARE(back->firstChunk->partition, 1);
    QCOMPARE(back->toBytes(), bytes);
    QCOMPARE(back.value(), id);
}

void Tst_messageid::hashAndEquality()
{
    const MessageId a = makeId(1, 2, 3, 4, 10);
    MessageId b = makeId(1, 2, 3, 4, 0, false);
    // Pulsar's equals ignores the batch size and the encoding form.
    QCOMPARE(a, b);
    QCOMPARE(qHash(a), qHash(b));
    QSet<MessageId> set{a, b, makeId(1, 2, 3, 5)};
    QCOMPARE(set.size(), 2);
    b.batchIndex = 5;
    QVERIFY(a != b);
}

QTEST_GUILESS_MAIN(Tst_messageid)
#include "tst_messageid.moc"
