#include "proxy/broker/brokermessage.h"

#include <QtTest>

using Proxy::BrokerMessage;

class TestBrokerMessage final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void corruptRecordsAreRefused_data();
    void corruptRecordsAreRefused();
};

static BrokerMessage sample(bool encrypted, bool withKey)
{
    BrokerMessage m;
    m.payload = QByteArray("payload \0 with nul", 18);
    m.properties = {{QStringLiteral("a"), QStringLiteral("1")}, {QStringLiteral("ü"), QStringLiteral("主题")}};
    if (withKey)
        m.key = QStringLiteral("key-1");
    m.replicationClusters = {QStringLiteral("standalone")};
    m.producerName = QStringLiteral("standalone-0-3");
    m.sequenceId = 41;
    m.publishTimeMs = 1700000000123;
    m.eventTimeMs = 1700000000000;
    m.deliverAtMs = 1700000005000;
    if (encrypted) {
        BrokerMessage::Encryption e;
        Pulsar::EncryptionKeyEntry k;
        k.name = QStringLiteral("ws-consumer-a");
        k.keyValue = QByteArray(32, '\x7f');
        k.metadata = {{QStringLiteral("k"), QStringLiteral("v")}};
        e.keys = {k};
        e.param = QByteArray("123456789012");
        e.compressionType = QStringLiteral("LZ4");
        e.uncompressedSize = 18;
        m.encryption = e;
    }
    return m;
}

void TestBrokerMessage::roundTrip_data()
{
    QTest::addColumn<bool>("encrypted");
    QTest::addColumn<bool>("withKey");
    QTest::addRow("plain") << false << false;
    QTest::addRow("keyed") << false << true;
    QTest::addRow("encrypted") << true << false;
    QTest::addRow("encrypted and keyed") << true << true;
}

void TestBrokerMessage::roundTrip()
{
    QFETCH(bool, encrypted);
    QFETCH(bool, withKey);
    const BrokerMessage m = sample(encrypted, withKey);
    const auto decoded = BrokerMessage::decode(m.encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->payload, m.payload);
    QCOMPARE(decoded->properties, m.properties);
    QCOMPARE(decoded->key, m.key);
    QCOMPARE(decoded->replicationClusters, m.replicationClusters);
    QCOMPARE(decoded->producerName, m.producerName);
    QCOMPARE(decoded->sequenceId, m.sequenceId);
    QCOMPARE(decoded->publishTimeMs, m.publishTimeMs);
    QCOMPARE(decoded->eventTimeMs, m.eventTimeMs);
    QCOMPARE(decoded->deliverAtMs, m.deliverAtMs);
    QCOMPARE(decoded->encryption.has_value(), encrypted);
    if (encrypted) {
        QCOMPARE(decoded->encryption->keys.size(), 1);
        QCOMPARE(decoded->encryption->keys[0].name, m.encryption->keys[0].name);
        QCOMPARE(decoded->encryption->keys[0].keyValue, m.encryption->keys[0].keyValue);
        QCOMPARE(decoded->encryption->keys[0].metadata, m.encryption->keys[0].metadata);
        QCOMPARE(decoded->encryption->param, m.encryption->param);
        QCOMPARE(decoded->encryption->compressionType, m.encryption->compressionType);
        QCOMPARE(decoded->encryption->uncompressedSize, m.encryption->uncompressedSize);
    }
}

void TestBrokerMessage::corruptRecordsAreRefused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray good = sample(true, true).encode();
    QTest::addRow("empty") << QByteArray();
    QTest::addRow("unknown version") << (QByteArray(1, char(9)) + good.mid(1));
    for (int cut : {2, 10, 40, int(good.size()) / 2, int(good.size()) - 1})
        QTest::addRow("truncated at %d", cut) << good.left(cut);
    QByteArray hugeCount = sample(false, false).encode();
    // The property count sits after version, flags, four longs and the producer name.
    const int countAt = 2 + 32 + 4 + int(QByteArray("standalone-0-3").size());
    hugeCount[countAt] = char(0xff);
    hugeCount[countAt + 1] = char(0xff);
    hugeCount[countAt + 2] = char(0xff);
    hugeCount[countAt + 3] = char(0x7f);
    QTest::addRow("absurd property count") << hugeCount;
}

void TestBrokerMessage::corruptRecordsAreRefused()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!BrokerMessage::decode(bytes).has_value());
}

QTEST_GUILESS_MAIN(TestBrokerMessage)
#include "tst_brokermessage.moc"
