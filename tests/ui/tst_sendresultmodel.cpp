// SendResultModel: rows appear only at a flush, in one beginInsertRows however many sends were recorded; verdicts
// become one dataChanged range; ok rows show the decoded id in its human form, failed rows the code and text;
// the cap drops the oldest rows in one block and the totals keep counting. QAbstractItemModelTester (Fatal)
// watches every case.
#include "models/sendresultmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using Gui::SendResultModel;
using Status = Gui::SendResultModel::Status;

namespace {

QString context(int n)
{
    return QStringLiteral("ctx-") + QString::number(n);
}

Pulsar::SendResult ok(int n)
{
    Pulsar::SendResult result;
    result.context = context(n);
    result.ok = true;
    result.messageId.ledgerId = 12;
    result.messageId.entryId = n;
    result.messageId.partition = -1;
    result.messageId.batchIndex = -1;
    result.messageIdBase64 = result.messageId.toBase64String();
    return result;
}

Pulsar::SendResult failed(int n, const QString &text)
{
    Pulsar::SendResult result;
    result.context = context(n);
    result.ok = false;
    result.errorCode = Pulsar::WebSocketError::PayloadEncodingError;
    result.errorMsg = text;
    return result;
}

QString cell(const SendResultModel &model, int row, int column)
{
    return model.data(model.index(row, column)).toString();
}

} // namespace

class TestSendResultModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesInserts();
    void verdicts();
    void capDropsOldestInOneBlock();
    void capDuringOneBatch();
    void verdictForDroppedRowCounts();
    void flushesOnItsOwn();
    void clear();
};

void TestSendResultModel::batchesInserts()
{
    SendResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 500; ++i)
        model.addPending(context(i), QStringLiteral("k"), 10);
    QCOMPARE(model.rowCount(), 0); // nothing before the flush
    QCOMPARE(model.pendingCount(), 500u);
    model.flush();
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 499);
    QCOMPARE(cell(model, 0, SendResultModel::NumberColumn), QStringLiteral("1"));
    QCOMPARE(cell(model, 499, SendResultModel::NumberColumn), QStringLiteral("500"));
    QCOMPARE(cell(model, 3, SendResultModel::StatusColumn), QStringLiteral("pending"));
    QCOMPARE(cell(model, 3, SendResultModel::ContextColumn), context(3));
    QCOMPARE(cell(model, 3, SendResultModel::KeyColumn), QStringLiteral("k"));
    model.flush(); // nothing new: no signal
    QCOMPARE(inserted.count(), 1);
}

void TestSendResultModel::verdicts()
{
    SendResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int i = 0; i < 10; ++i)
        model.addPending(context(i), QString(), 1);
    model.flush();

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.finish(ok(2));
    model.finish(failed(7, QStringLiteral("Failed to deserialize from JSON")));
    model.finish(ok(5));
    QCOMPARE(changed.count(), 0); // recorded, not yet shown
    model.flush();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 2);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), 7);

    QCOMPARE(cell(model, 2, SendResultModel::StatusColumn), QStringLiteral("ok"));
    QCOMPARE(cell(model, 2, SendResultModel::MessageIdColumn), QStringLiteral("12:2:-1:-1"));
    QCOMPARE(model.data(model.index(2, 0), SendResultModel::MessageIdBase64Role).toString(), ok(2).messageIdBase64);
    QCOMPARE(cell(model, 2, SendResultModel::ErrorCodeColumn), QString());
    QCOMPARE(cell(model, 7, SendResultModel::StatusColumn), QStringLiteral("failed"));
    QCOMPARE(cell(model, 7, SendResultModel::ErrorCodeColumn),
             QString::number(int(Pulsar::WebSocketError::PayloadEncodingError)));
    QCOMPARE(cell(model, 7, SendResultModel::ErrorColumn), QStringLiteral("Failed to deserialize from JSON"));
    QCOMPARE(cell(model, 7, SendResultModel::MessageIdColumn), QString());
    QCOMPARE(model.data(model.index(7, 0), SendResultModel::StatusRole).toInt(), int(Status::Failed));
    QCOMPARE(cell(model, 0, SendResultModel::StatusColumn), QStringLiteral("pending"));
    QCOMPARE(model.okCount(), 2u);
    QCOMPARE(model.failedCount(), 1u);
    QCOMPARE(model.pendingCount(), 7u);

    // A second verdict for the same send, or one for a send the model never saw, changes nothing.
    model.finish(failed(2, QStringLiteral("late")));
    model.finish(ok(99));
    model.flush();
    QCOMPARE(cell(model, 2, SendResultModel::StatusColumn), QStringLiteral("ok"));
    QCOMPARE(model.okCount(), 2u);
    QCOMPARE(model.failedCount(), 1u);

    // A verdict before the row was ever shown is simply part of the inserted row.
    model.addPending(context(10), QString(), 1);
    model.finish(ok(10));
    model.flush();
    QCOMPARE(cell(model, 10, SendResultModel::StatusColumn), QStringLiteral("ok"));
}

void TestSendResultModel::capDropsOldestInOneBlock()
{
    SendResultModel model(100);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int i = 0; i < 80; ++i)
        model.addPending(context(i), QString(), 1);
    model.flush();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 80; i < 130; ++i)
        model.addPending(context(i), QString(), 1);
    model.finish(ok(10));  // a visible row that is about to be dropped
    model.finish(ok(100)); // a visible-to-be row that stays
    model.flush();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.first().at(1).toInt(), 0);
    QCOMPARE(removed.first().at(2).toInt(), 29);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(cell(model, 0, SendResultModel::NumberColumn), QStringLiteral("31"));
    QCOMPARE(cell(model, 99, SendResultModel::NumberColumn), QStringLiteral("130"));
    QCOMPARE(cell(model, 70, SendResultModel::StatusColumn), QStringLiteral("ok")); // number 101 = context 100
    QCOMPARE(model.okCount(), 2u);
}

void TestSendResultModel::capDuringOneBatch()
{
    SendResultModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addPending(context(0), QString(), 1);
    model.flush();
    for (int i = 1; i < 50; ++i)
        model.addPending(context(i), QString(), 1);
    model.flush();
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(cell(model, 0, SendResultModel::ContextColumn), context(40));
    QCOMPARE(cell(model, 9, SendResultModel::ContextColumn), context(49));
}

void TestSendResultModel::verdictForDroppedRowCounts()
{
    SendResultModel model(5);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    for (int i = 0; i < 20; ++i)
        model.addPending(context(i), QString(), 1);
    model.flush();
    QCOMPARE(model.pendingCount(), 20u);
    for (int i = 0; i < 20; ++i)
        model.finish(i % 2 ? ok(i) : failed(i, QStringLiteral("x")));
    model.flush();
    QCOMPARE(model.pendingCount(), 0u);
    QCOMPARE(model.okCount(), 10u);
    QCOMPARE(model.failedCount(), 10u);
    QCOMPARE(cell(model, 4, SendResultModel::StatusColumn), QStringLiteral("ok"));
}

void TestSendResultModel::flushesOnItsOwn()
{
    SendResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 3; ++i)
        model.addPending(context(i), QString(), 1);
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.count(), 1);
}

void TestSendResultModel::clear()
{
    SendResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addPending(context(0), QString(), 1);
    model.flush();
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.pendingCount(), 0u);
    model.finish(ok(0)); // its row is gone: nothing happens
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.okCount(), 0u);
    model.addPending(context(1), QString(), 1);
    model.flush();
    QCOMPARE(cell(model, 0, SendResultModel::NumberColumn), QStringLiteral("2"));
}

QTEST_MAIN(TestSendResultModel)
#include "tst_sendresultmodel.moc"
