#pragma once

#include "client/producersession.h"
#include "protocol/messageid.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QString>
#include <QTimer>

#include <deque>

namespace Gui {

// The producer panel's result list: one row per send, from the moment the session accepted it (pending) until
// its ack (ok, with the decoded message id) or its failure (error code and text). Fed in batches: addPending()
// and finish() only record, a 20 Hz timer (or flush()) inserts the new rows with one beginInsertRows and
// reports the changed statuses with one dataChanged, so "Send 10,000" never repaints per message. Capped: past
// maxRows the oldest rows are dropped in one block per flush; the totals keep counting.
class SendResultModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        NumberColumn,
        TimeColumn,
        StatusColumn,
        MessageIdColumn,
        ErrorCodeColumn,
        ErrorColumn,
        KeyColumn,
        SizeColumn,
        ContextColumn,
        ColumnCount
    };
    enum class Status
    {
        Pending,
        Ok,
        Failed,
    };
    struct Row
    {
        quint64 number = 0; // 1-based, over the model's lifetime (rows dropped by the cap keep their numbers)
        qint64 sentAtMs = 0;
        QString context;
        QString key;
        qint64 size = 0;
        Status status = Status::Pending;
        Pulsar::MessageId messageId;
        QString messageIdBase64;
        int errorCode = 0;
        QString errorText;
        bool possibleDuplicate = false;
    };
    // Raw values for callers that want them without display formatting.
    enum Role
    {
        StatusRole = Qt::UserRole + 1,
        MessageIdBase64Role,
    };

    static constexpr int DefaultMaxRows = 10000;
    static constexpr int FlushIntervalMs = 50;

    explicit SendResultModel(int maxRows = DefaultMaxRows, QObject *parent = nullptr);

    // A send the session accepted; the row shows (pending) at the next flush.
    void addPending(const QString &context, const QString &key, qint64 size);
    // The session's verdict on an accepted send. Unknown contexts (dropped by the cap) are counted only.
    void finish(const Pulsar::SendResult &result);
    // Applies everything recorded now.
    void flush();
    void clear();

    int maxRows() const { return m_maxRows; }
    const Row &row(int row) const { return m_rows[size_t(row)]; }
    // Totals since the last clear(), including rows the cap dropped and rows not flushed yet.
    quint64 pendingCount() const { return m_pending; }
    quint64 okCount() const { return m_ok; }
    quint64 failedCount() const { return m_failed; }
    static QString statusText(Status status);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After a flush that changed anything (rows or totals).
    void flushed();

private:
    void scheduleFlush();

    int m_maxRows;
    std::deque<Row> m_rows;    // the visible rows first, then the ones recorded since the last flush
    int m_visible = 0;         // rows the view knows about
    quint64 m_firstNumber = 1; // number of m_rows.front()
    quint64 m_nextNumber = 1;
    QHash<QString, quint64> m_numberByContext; // pending sends only (also those whose row the cap dropped)
    quint64 m_dirtyFirst = 0;                  // numbers of changed visible rows; 0 = none
    quint64 m_dirtyLast = 0;
    quint64 m_pending = 0;
    quint64 m_ok = 0;
    quint64 m_failed = 0;
    bool m_changed = false;
    QTimer m_flushTimer;
};

} // namespace Gui
