// MessageTableModel: batched inserts (one beginInsertRows per flush), the cap dropping the oldest rows in one
// block, lazy and truncated previews, decoded ids, ack state changes announced as one dataChanged range, and the
// compact rows giving back every field. QAbstractItemModelTester (Fatal) watches every case.
#include "models/messagetablemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using Gui::MessageTableModel;
using AckState = Gui::MessageTableModel::AckState;

namespace {

Pulsar::ReceivedMessage makeMessage(int n, const QByteArray &payload = QByteArray())
{
    Pulsar::ReceivedMessage m;
    m.id.ledgerId = 7;
    m.id.entryId = n;
    m.id.partition = -1;
    m.id.batchIndex = -1;
    m.message.messageId = m.id.toBase64String();
    m.message.payload = payload.isNull() ? QByteArray("payload-") + QByteArray::number(n) : payload;
    m.message.publishTime = QStringLiteral("2026-12-03T10:00:00.123Z");
    return m;
}

QList<Pulsar::ReceivedMessage> batch(int from, int count)
{
    QList<Pulsar::ReceivedMessage> list;
    for (int i = from; i < from + count; ++i)
        list.append(makeMessage(i));
    return list;
}

QString text(const MessageTableModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

} // namespace

class TestMessageTableModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesInsertOncePerFlush();
    void timerFlushes();
    void capDropsOldestInOneBlock();
    void capBelowOneBatch();
    void loweringTheCap();
    void previewIsTruncated_data();
    void previewIsTruncated();
    void displayColumns();
    void ackStateChangesAreBatched();
    void ackStateByIds();
    void messageRoundTrip();
    void clear();
};

void TestMessageTableModel::batchesInsertOncePerFlush()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(batch(0, 100));
    model.append(batch(100, 150));
    model.append(batch(250, 50));
    QCOMPARE(model.rowCount(), 0); // queued only
    QCOMPARE(model.queuedCount(), 300);
    model.flush();
    QCOMPARE(model.rowCount(), 300);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 299);
    model.append(batch(300, 10));
    model.flush();
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(inserted.last().at(1).toInt(), 300);
    QCOMPARE(inserted.last().at(2).toInt(), 309);
    QCOMPARE(text(model, 309, MessageTableModel::PayloadColumn), QStringLiteral("payload-309"));
    QCOMPARE(model.totalAppended(), 310);
}

void TestMessageTableModel::timerFlushes()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(batch(0, 5));
    model.append(batch(5, 5));
    QTRY_COMPARE(model.rowCount(), 10);
    QCOMPARE(inserted.size(), 1);
}

void TestMessageTableModel::capDropsOldestInOneBlock()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMaxRows(100);
    model.append(batch(0, 80));
    model.flush();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.append(batch(80, 30));
    model.append(batch(110, 20));
    model.flush();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 0);
    QCOMPARE(removed.first().at(2).toInt(), 29); // 80 + 50 - 100 oldest rows, in one block
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(text(model, 0, MessageTableModel::PayloadColumn), QStringLiteral("payload-30"));
    QCOMPARE(text(model, 99, MessageTableModel::PayloadColumn), QStringLiteral("payload-129"));
    QCOMPARE(model.droppedRows(), 30);
    QCOMPARE(model.totalAppended(), 130);
}

void TestMessageTableModel::capBelowOneBatch()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setMaxRows(10);
    model.append(batch(0, 5));
    model.flush();
    model.append(batch(5, 25));
    QCOMPARE(model.queuedCount(), 10); // what could never be shown is not kept
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(text(model, 0, MessageTableModel::PayloadColumn), QStringLiteral("payload-20"));
    QCOMPARE(model.droppedRows(), 20);
}

void TestMessageTableModel::loweringTheCap()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.append(batch(0, 50));
    model.flush();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setMaxRows(20);
    QCOMPARE(model.rowCount(), 20);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(text(model, 0, MessageTableModel::PayloadColumn), QStringLiteral("payload-30"));
}

void TestMessageTableModel::previewIsTruncated_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("expected");
    QTest::addRow("short text") << QByteArray("hello") << QStringLiteral("hello");
    QTest::addRow("long text") << QByteArray(5000, 'a')
                               << QString(MessageTableModel::PreviewChars, QLatin1Char('a')) + QChar(0x2026);
    QTest::addRow("newlines become spaces") << QByteArray("a\nb\tc") << QStringLiteral("a b c");
    QTest::addRow("utf-8") << QByteArray("gr\xc3\xbc\xc3\x9f") << QStringLiteral("grüß");
    QTest::addRow("binary as hex") << QByteArray("\x00\x01\xff\xfe", 4) << QStringLiteral("00 01 ff fe");
    // 1000 three-byte characters: only the first 800 bytes are decoded, a cut that splits a character, which
    // must not make the payload look binary.
    QByteArray euros;
    for (int i = 0; i < 1000; ++i)
        euros += "\xe2\x82\xac";
    QTest::addRow("multi-byte cut") << euros << QString(MessageTableModel::PreviewChars, QChar(0x20ac)) + QChar(0x2026);
}

void TestMessageTableModel::previewIsTruncated()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, expected);
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.append({makeMessage(1, payload)});
    model.flush();
    const QString preview = text(model, 0, MessageTableModel::PayloadColumn);
    QCOMPARE(preview, expected);
    QVERIFY(preview.size() <= MessageTableModel::PreviewChars + 1);
    QCOMPARE(text(model, 0, MessageTableModel::PayloadColumn), expected); // the cached copy
    QCOMPARE(model.data(model.index(0, 0), MessageTableModel::PayloadRole).toByteArray(), payload);
    QCOMPARE(text(model, 0, MessageTableModel::SizeColumn), QString::number(payload.size()));
}

void TestMessageTableModel::displayColumns()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Pulsar::ReceivedMessage m = makeMessage(42);
    m.id.partition = 3;
    m.id.batchIndex = 1;
    m.id.batchSize = 4;
    m.message.messageId = m.id.toBase64String();
    m.message.key = QStringLiteral("order-17");
    m.message.properties = {{QStringLiteral("a"), QStringLiteral("1")}, {QStringLiteral("b"), QStringLiteral("two")}};
    m.message.redeliveryCount = 2;
    Pulsar::ReceivedMessage undecodable = makeMessage(43);
    undecodable.id = Pulsar::MessageId();
    undecodable.message.messageId = QStringLiteral("not-an-id");
    model.append({m, undecodable}, AckState::Pending);
    model.flush();
    QCOMPARE(text(model, 0, MessageTableModel::MessageIdColumn), QStringLiteral("7:42:3:1"));
    QCOMPARE(model.data(model.index(0, MessageTableModel::MessageIdColumn), Qt::ToolTipRole).toString(),
             m.message.messageId);
    QCOMPARE(text(model, 0, MessageTableModel::KeyColumn), QStringLiteral("order-17"));
    QCOMPARE(text(model, 0, MessageTableModel::PropertiesColumn), QStringLiteral("a=1, b=two"));
    QCOMPARE(text(model, 0, MessageTableModel::RedeliveryColumn), QStringLiteral("2"));
    QCOMPARE(text(model, 0, MessageTableModel::PublishTimeColumn), QStringLiteral("2026-12-03T10:00:00.123Z"));
    QCOMPARE(text(model, 0, MessageTableModel::AckStateColumn), QStringLiteral("pending"));
    QVERIFY(
        QTime::fromString(text(model, 0, MessageTableModel::ArrivalColumn), QStringLiteral("HH:mm:ss.zzz")).isValid());
    QCOMPARE(text(model, 1, MessageTableModel::MessageIdColumn), QStringLiteral("not-an-id"));
    QCOMPARE(text(model, 1, MessageTableModel::KeyColumn), QString());
    QCOMPARE(model.headerData(MessageTableModel::AckStateColumn, Qt::Horizontal).toString(), QStringLiteral("Ack"));
}

void TestMessageTableModel::ackStateChangesAreBatched()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.append(batch(0, 10));
    model.flush();
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setAckState(QList<int>{2, 5}, AckState::Acked);
    model.setAckState(7, AckState::Nacked);
    QCOMPARE(model.ackState(2), AckState::Acked); // applied at once
    QCOMPARE(changed.size(), 0);                  // announced at the flush
    model.flush();
    QCOMPARE(changed.size(), 1);
    const QModelIndex from = changed.first().at(0).toModelIndex();
    const QModelIndex to = changed.first().at(1).toModelIndex();
    QCOMPARE(from.row(), 2);
    QCOMPARE(to.row(), 7);
    QCOMPARE(from.column(), int(MessageTableModel::AckStateColumn));
    QCOMPARE(to.column(), int(MessageTableModel::AckStateColumn));
    QCOMPARE(text(model, 2, MessageTableModel::AckStateColumn), QStringLiteral("acked"));
    QCOMPARE(text(model, 5, MessageTableModel::AckStateColumn), QStringLiteral("acked"));
    QCOMPARE(text(model, 7, MessageTableModel::AckStateColumn), QStringLiteral("nacked"));
    QCOMPARE(text(model, 3, MessageTableModel::AckStateColumn), QStringLiteral("pending"));

    // Rows evicted before the flush are left out of the range.
    model.setMaxRows(10);
    model.setAckState(QList<int>{0, 9}, AckState::Acked);
    model.append(batch(10, 5));
    model.flush();
    QCOMPARE(changed.size(), 2);
    // The range announced was rows 0..9 (sequence); what is left of it after 5 rows went is rows 0..4.
    QCOMPARE(changed.last().at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.last().at(1).toModelIndex().row(), 4);
    QCOMPARE(model.ackState(4), AckState::Acked); // old row 9
}

void TestMessageTableModel::ackStateByIds()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QList<Pulsar::ReceivedMessage> shown = batch(0, 5);
    model.append(shown);
    model.flush();
    const QList<Pulsar::ReceivedMessage> queued = batch(5, 2);
    model.append(queued);
    const int changed = model.setAckStateByIds(
        {shown[1].message.messageId, queued[0].message.messageId, QStringLiteral("unknown")}, AckState::Acked);
    QCOMPARE(changed, 2);
    model.flush();
    QCOMPARE(model.ackState(1), AckState::Acked);
    QCOMPARE(model.ackState(5), AckState::Acked);
    QCOMPARE(model.ackState(0), AckState::Pending);
    QCOMPARE(model.ackState(6), AckState::Pending);
}

void TestMessageTableModel::messageRoundTrip()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    Pulsar::ReceivedMessage m = makeMessage(9, QByteArray("{\"a\":1}"));
    m.message.key = QStringLiteral("k");
    m.message.eventTime = QStringLiteral("2026-12-01T00:00:00Z");
    m.message.properties = {{QStringLiteral("p"), QStringLiteral("v")}};
    m.message.redeliveryCount = 3;
    m.redelivered = true;
    Pulsar::EncryptionContext context;
    context.param = "iv";
    context.algorithm = QStringLiteral("RSA");
    m.message.encryptionContext = context;
    model.append({m, makeMessage(10)});
    model.flush();
    const Pulsar::ReceivedMessage back = model.message(0);
    QCOMPARE(back.message.messageId, m.message.messageId);
    QCOMPARE(back.message.payload, m.message.payload);
    QCOMPARE(back.message.key, m.message.key);
    QCOMPARE(back.message.eventTime, m.message.eventTime);
    QCOMPARE(back.message.properties, m.message.properties);
    QCOMPARE(back.message.publishTime, m.message.publishTime);
    QCOMPARE(back.message.redeliveryCount, 3);
    QVERIFY(back.redelivered);
    QVERIFY(back.message.encryptionContext.has_value());
    QCOMPARE(back.message.encryptionContext->algorithm, std::optional<QString>(QStringLiteral("RSA")));
    QCOMPARE(back.id, m.id);
    QCOMPARE(model.messageIdText(1), makeMessage(10).message.messageId);
    QVERIFY(!model.message(1).message.key.has_value());
    QVERIFY(model.arrivalMs(0) > 0);
}

void TestMessageTableModel::clear()
{
    MessageTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.append(batch(0, 5));
    model.flush();
    model.append(batch(5, 5));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalAppended(), 0);
}

QTEST_MAIN(TestMessageTableModel)
#include "tst_messagetablemodel.moc"
