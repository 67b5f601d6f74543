// MessageInspector: the payload as text, as a JSON tree, as a hex dump and as base64; the metadata rows (both
// id forms, times, key, redelivery count, encryption context) and properties; copy and save to a file.
#include "widgets/messageinspector.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using Gui::MessageInspector;

namespace {

Pulsar::ReceivedMessage makeMessage(const QByteArray &payload)
{
    Pulsar::ReceivedMessage m;
    m.id.ledgerId = 123;
    m.id.entryId = 45;
    m.id.partition = 2;
    m.id.batchIndex = 1;
    m.id.batchSize = 3;
    m.message.messageId = m.id.toBase64String();
    m.message.payload = payload;
    m.message.publishTime = QStringLiteral("2026-12-03T10:00:00.5Z");
    m.message.eventTime = QStringLiteral("2026-12-02T09:00:00Z");
    m.message.key = QStringLiteral("customer-7");
    m.message.redeliveryCount = 4;
    m.message.properties = {{QStringLiteral("origin"), QStringLiteral("test")},
                            {QStringLiteral("n"), QStringLiteral("1")}};
    return m;
}

QString metadataValue(QTableWidget *table, const QString &field)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0)->text() == field)
            return table->item(row, 1)->text();
    }
    return QStringLiteral("<missing %1>").arg(field);
}

template<typename T>
T *child(QWidget *parent, const char *name)
{
    T *widget = parent->findChild<T *>(QString::fromLatin1(name));
    if (!widget)
        qFatal("no child %s", name);
    return widget;
}

} // namespace

class TestMessageInspector final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void payloadViews_data();
    void payloadViews();
    void jsonTree();
    void hexDumpFormat();
    void metadataRows();
    void encryptionContext();
    void copyFollowsTheTab();
    void saveToFile();
    void saveFailureShowsInline();
    void largePayloadIsShownInPart();
};

void TestMessageInspector::payloadViews_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("json");
    QTest::addRow("text") << QByteArray("hello world") << QStringLiteral("hello world") << false;
    QTest::addRow("json") << QByteArray("{\"a\":[1,2],\"b\":\"x\"}") << QStringLiteral("{\"a\":[1,2],\"b\":\"x\"}")
                          << true;
    QTest::addRow("utf-8") << QByteArray("na\xc3\xafve") << QStringLiteral("naïve") << false;
    QTest::addRow("empty") << QByteArray() << QString() << false;
}

void TestMessageInspector::payloadViews()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, text);
    QFETCH(bool, json);
    MessageInspector inspector;
    inspector.setMessage(makeMessage(payload), 0);
    QCOMPARE(child<QPlainTextEdit>(&inspector, "payloadTextView")->toPlainText(), text);
    QCOMPARE(child<QPlainTextEdit>(&inspector, "payloadBase64View")->toPlainText().remove(QLatin1Char('\n')),
             QString::fromLatin1(payload.toBase64()));
    QCOMPARE(child<QPlainTextEdit>(&inspector, "payloadHexView")->toPlainText(), MessageInspector::hexDump(payload));
    auto *tabs = child<QTabWidget>(&inspector, "inspectorTabs");
    QCOMPARE(tabs->isTabEnabled(MessageInspector::JsonTab), json);
    QVERIFY(child<QPushButton>(&inspector, "copyPayloadButton")->isEnabled());
    QVERIFY(child<QPushButton>(&inspector, "savePayloadButton")->isEnabled());
}

void TestMessageInspector::jsonTree()
{
    MessageInspector inspector;
    inspector.setMessage(makeMessage(R"({"name":"pulsar","tags":["a","b"],"n":1.5,"ok":true,"none":null})"), 0);
    auto *tree = child<QTreeWidget>(&inspector, "payloadJsonView");
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem *root = tree->topLevelItem(0);
    QCOMPARE(root->text(2), QStringLiteral("object"));
    QCOMPARE(root->childCount(), 5);
    QMap<QString, QTreeWidgetItem *> members;
    for (int i = 0; i < root->childCount(); ++i)
        members.insert(root->child(i)->text(0), root->child(i));
    QCOMPARE(members.value(QStringLiteral("name"))->text(1), QStringLiteral("pulsar"));
    QCOMPARE(members.value(QStringLiteral("tags"))->childCount(), 2);
    QCOMPARE(members.value(QStringLiteral("tags"))->child(1)->text(0), QStringLiteral("[1]"));
    QCOMPARE(members.value(QStringLiteral("tags"))->child(1)->text(1), QStringLiteral("b"));
    QCOMPARE(members.value(QStringLiteral("n"))->text(1), QStringLiteral("1.5"));
    QCOMPARE(members.value(QStringLiteral("ok"))->text(1), QStringLiteral("true"));
    QCOMPARE(members.value(QStringLiteral("none"))->text(2), QStringLiteral("null"));
    QVERIFY(root->isExpanded());                                   // collapsible, open one level
    QVERIFY(!members.value(QStringLiteral("tags"))->isExpanded()); // deeper levels start folded

    inspector.setMessage(makeMessage("not json"), 0);
    QCOMPARE(tree->topLevelItemCount(), 1);
    QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("Not JSON"));
}

void TestMessageInspector::hexDumpFormat()
{
    const QByteArray bytes("Hello, Pulsar!\n\x00\x01\xff", 18);
    QCOMPARE(MessageInspector::hexDump(bytes),
             QStringLiteral("00000000  48 65 6c 6c 6f 2c 20 50  75 6c 73 61 72 21 0a 00  |Hello, Pulsar!..|\n"
                            "00000010  01 ff                                             |..|\n"));
    QVERIFY(MessageInspector::hexDump(QByteArray(100, 'x'), 32)
                .endsWith(QStringLiteral("[68 more bytes not shown; copy or save to get them all]")));
}

void TestMessageInspector::metadataRows()
{
    MessageInspector inspector;
    const Pulsar::ReceivedMessage m = makeMessage("x");
    inspector.setMessage(m, QDateTime(QDate(2026, 12, 3), QTime(11, 0)).toMSecsSinceEpoch());
    auto *table = child<QTableWidget>(&inspector, "metadataView");
    QCOMPARE(metadataValue(table, QStringLiteral("Message id (base64)")), m.message.messageId);
    QCOMPARE(metadataValue(table, QStringLiteral("Message id (ledger:entry:partition:batch)")),
             QStringLiteral("123:45:2:1"));
    QCOMPARE(metadataValue(table, QStringLiteral("Batch size")), QStringLiteral("3"));
    QVERIFY(metadataValue(table, QStringLiteral("Publish time"))
                .startsWith(QStringLiteral("2026-12-03T10:00:00.5Z (local ")));
    QVERIFY(metadataValue(table, QStringLiteral("Event time")).startsWith(QStringLiteral("2026-12-02T09:00:00Z")));
    QCOMPARE(metadataValue(table, QStringLiteral("Received")), QStringLiteral("2026-12-03 11:00:00.000"));
    QCOMPARE(metadataValue(table, QStringLiteral("Key")), QStringLiteral("customer-7"));
    QCOMPARE(metadataValue(table, QStringLiteral("Redelivery count")), QStringLiteral("4"));
    QCOMPARE(metadataValue(table, QStringLiteral("Encryption context")), QStringLiteral("(none)"));
    QVERIFY(!metadataValue(table, QStringLiteral("Ordering key")).startsWith(QStringLiteral("<missing")));
    auto *properties = child<QTableWidget>(&inspector, "propertiesView");
    QCOMPARE(properties->rowCount(), 2);
    QCOMPARE(properties->item(0, 0)->text(), QStringLiteral("origin"));
    QCOMPARE(properties->item(0, 1)->text(), QStringLiteral("test"));
    QCOMPARE(properties->item(1, 0)->text(), QStringLiteral("n"));

    Pulsar::ReceivedMessage bare = makeMessage("y");
    bare.message.key.reset();
    bare.message.eventTime.reset();
    bare.message.properties.clear();
    inspector.setMessage(bare, 0);
    QCOMPARE(metadataValue(table, QStringLiteral("Key")), QStringLiteral("(none)"));
    QCOMPARE(metadataValue(table, QStringLiteral("Event time")), QStringLiteral("(none)"));
    QCOMPARE(metadataValue(table, QStringLiteral("Received")), QStringLiteral("<missing Received>"));
    QCOMPARE(properties->rowCount(), 0);
}

void TestMessageInspector::encryptionContext()
{
    Pulsar::ReceivedMessage m = makeMessage("secret");
    Pulsar::EncryptionContext context;
    context.param = QByteArray("0123456789ab");
    context.algorithm = QStringLiteral("RSA-OAEP");
    context.compressionType = QStringLiteral("LZ4");
    context.uncompressedMessageSize = 77;
    context.keys.append({QStringLiteral("key-a"), QByteArray("datakey"), {{QStringLiteral("v"), QStringLiteral("1")}}});
    m.message.encryptionContext = context;
    MessageInspector inspector;
    inspector.setMessage(m, 0);
    auto *table = child<QTableWidget>(&inspector, "metadataView");
    QCOMPARE(metadataValue(table, QStringLiteral("Encryption algorithm")), QStringLiteral("RSA-OAEP"));
    QCOMPARE(metadataValue(table, QStringLiteral("Encryption param (IV, base64)")), QStringLiteral("MDEyMzQ1Njc4OWFi"));
    QCOMPARE(metadataValue(table, QStringLiteral("Compression type")), QStringLiteral("LZ4"));
    QCOMPARE(metadataValue(table, QStringLiteral("Uncompressed size")), QStringLiteral("77"));
    QCOMPARE(metadataValue(table, QStringLiteral("Encryption key key-a")), QStringLiteral("ZGF0YWtleQ=="));
    QCOMPARE(metadataValue(table, QStringLiteral("Key key-a metadata")), QStringLiteral("v=1"));
}

void TestMessageInspector::copyFollowsTheTab()
{
    MessageInspector inspector;
    inspector.setMessage(makeMessage("{\"a\":1}"), 0);
    auto *tabs = child<QTabWidget>(&inspector, "inspectorTabs");
    tabs->setCurrentIndex(MessageInspector::TextTab);
    QCOMPARE(inspector.copyText(), QStringLiteral("{\"a\":1}"));
    tabs->setCurrentIndex(MessageInspector::JsonTab);
    QCOMPARE(inspector.copyText(), QStringLiteral("{\n    \"a\": 1\n}\n"));
    tabs->setCurrentIndex(MessageInspector::Base64Tab);
    QCOMPARE(inspector.copyText(), QStringLiteral("eyJhIjoxfQ=="));
    tabs->setCurrentIndex(MessageInspector::HexTab);
    QVERIFY(inspector.copyText().startsWith(QStringLiteral("00000000  7b 22 61 22 3a 31 7d")));
    tabs->setCurrentIndex(MessageInspector::Base64Tab);
    QTest::mouseClick(child<QPushButton>(&inspector, "copyPayloadButton"), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("eyJhIjoxfQ=="));
}

void TestMessageInspector::saveToFile()
{
    QTemporaryDir dir;
    const QByteArray payload("\x00\x01binary\xff", 9);
    MessageInspector inspector;
    inspector.setMessage(makeMessage(payload), 0);
    QSignalSpy saved(&inspector, &MessageInspector::payloadSaved);
    const QString path = dir.filePath(QStringLiteral("payload.bin"));
    QVERIFY(inspector.savePayload(path));
    QCOMPARE(saved.size(), 1);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), payload);
    QVERIFY(child<QLabel>(&inspector, "inspectorStatusLabel")->text().contains(path));
}

void TestMessageInspector::saveFailureShowsInline()
{
    QTemporaryDir dir;
    MessageInspector inspector;
    inspector.setMessage(makeMessage("x"), 0);
    QSignalSpy failed(&inspector, &MessageInspector::saveFailed);
    QString error;
    const QString path = dir.filePath(QStringLiteral("no/such/dir/payload.bin"));
    QVERIFY(!inspector.savePayload(path, &error));
    QCOMPARE(failed.size(), 1);
    QVERIFY(error.contains(path));
    QCOMPARE(child<QLabel>(&inspector, "inspectorStatusLabel")->text(), error);
    inspector.clearMessage();
    QVERIFY(!inspector.savePayload(dir.filePath(QStringLiteral("p")), &error));
    QVERIFY(!child<QPushButton>(&inspector, "savePayloadButton")->isEnabled());
}

void TestMessageInspector::largePayloadIsShownInPart()
{
    const QByteArray payload(MessageInspector::MaxHexBytes * 2, 'z');
    MessageInspector inspector;
    inspector.setMessage(makeMessage(payload), 0);
    const QString hex = child<QPlainTextEdit>(&inspector, "payloadHexView")->toPlainText();
    QCOMPARE(hex.count(QLatin1Char('\n')), MessageInspector::MaxHexBytes / 16);
    QVERIFY(hex.contains(QStringLiteral("%1 more bytes not shown").arg(MessageInspector::MaxHexBytes)));
    QTemporaryDir dir;
    QVERIFY(inspector.savePayload(dir.filePath(QStringLiteral("big"))));
    QCOMPARE(QFileInfo(dir.filePath(QStringLiteral("big"))).size(), payload.size()); // save is never cut
    const QString text = child<QPlainTextEdit>(&inspector, "payloadTextView")->toPlainText();
    QVERIFY(text.startsWith(QString(MessageInspector::MaxTextChars, QLatin1Char('z')) + QLatin1Char('\n')));
    QVERIFY(text.endsWith(QStringLiteral("[%1 more characters not shown; copy or save to get them all]")
                              .arg(payload.size() - MessageInspector::MaxTextChars)));
    QCOMPARE(inspector.copyText().size(), payload.size()); // copy is never cut either
}

QTEST_MAIN(TestMessageInspector)
#include "tst_messageinspector.moc"
