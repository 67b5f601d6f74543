#pragma once

#include "client/receivedmessage.h"

#include <QAbstractTableModel>
#include <QCache>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>
#include <vector>

namespace Gui {

// The live message table of a consumer or reader panel (Wireshark's packet list pattern). Capped (oldest rows
// dropped, one beginRemoveRows per flush) and fed in batches: append() only queues, a timer (25 Hz) inserts
// everything queued with one beginInsertRows. Rows hold the received fields compactly (the rare ones behind a
// shared pointer) and display strings are built in data(), payload previews truncated and cached for the few
// rows a view paints. Ack state changes are applied at once and announced as one dataChanged range per flush.
class MessageTableModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        ArrivalColumn,
        PublishTimeColumn,
        MessageIdColumn,
        KeyColumn,
        PropertiesColumn,
        SizeColumn,
        PayloadColumn,
        RedeliveryColumn,
        AckStateColumn,
        ColumnCount
    };
    enum class AckState : quint8
    {
        NotAcked, // readers: nothing to ack
        Pending,  // delivered, not acked yet
        Acked,
        Nacked,
    };
    enum Role
    {
        // The base64 message id exactly as received (what acks must echo).
        MessageIdTextRole = Qt::UserRole + 1,
        PayloadRole, // QByteArray, the whole payload
    };

    static constexpr int DefaultMaxRows = 100000;
    static constexpr int PreviewChars = 200;
    static constexpr int DefaultFlushIntervalMs = 40;

    explicit MessageTableModel(QObject *parent = nullptr);
    ~MessageTableModel() override;

    // Queues a batch; it shows at the next flush. `state` is the ack state the rows start in.
    void append(const QList<Pulsar::ReceivedMessage> &messages, AckState state = AckState::Pending);
    // Inserts everything queued now (the timer calls it; tests call it directly). Also announces ack changes.
    void flush();
    void clear();

    // The cap; lowering it below rowCount() drops the oldest rows at once.
    void setMaxRows(int rows);
    int maxRows() const { return m_maxRows; }
    void setFlushInterval(int ms);

    // Every message appended since the last clear(), shown or not, and those dropped by the cap.
    qint64 totalAppended() const { return m_totalAppended; }
    qint64 droppedRows() const { return m_dropped; }
    int queuedCount() const { return int(m_queued.size()); }

    // The message of a row, rebuilt from the compact row.
    Pulsar::ReceivedMessage message(int row) const;
    QString messageIdText(int row) const;
    qint64 arrivalMs(int row) const;
    AckState ackState(int row) const;
    // Applies at once; views hear of it at the next flush (one dataChanged over the changed range).
    void setAckState(const QList<int> &rows, AckState state);
    void setAckState(int row, AckState state) { setAckState(QList<int>{row}, state); }
    // Rows (shown or queued) whose id text is in `ids` and whose state is Pending go to `state`: for acks
    // sent for messages that may still be queued (auto-ack). Returns how many changed.
    int setAckStateByIds(const QStringList &ids, AckState state);

    static QString ackStateText(AckState state);
    // A payload as a one-line preview: UTF-8 text with control characters shown as spaces, or a hex preview
    // for binary data, at most maxChars characters ("…" appended when cut).
    static QString previewOf(const QByteArray &payload, int maxChars = PreviewChars);
    static QString propertiesText(const Pulsar::Properties &properties, int maxChars = PreviewChars);
    // A typical display text of a column, to size sections once without ResizeToContents.
    static QString sampleText(Column column);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // After each flush that inserted rows (after rowsInserted), with the number inserted and dropped.
    void flushed(int inserted, int dropped);

private:
    // The fields few messages have, kept out of the row so that the common row stays small.
    struct Extras
    {
        Pulsar::Properties properties;
        std::optional<QString> key;
        std::optional<QString> eventTime;
        std::optional<Pulsar::EncryptionContext> encryptionContext;
        std::shared_ptr<const Pulsar::MessageId> firstChunk;
        int batchSize = 0;
        bool hasBatchSize = true;
    };
    struct Row
    {
        QString messageIdText;
        QByteArray payload;
        QString publishTime;
        std::shared_ptr<const Extras> extras;
        qint64 ledgerId = -1;
        qint64 entryId = -1;
        qint64 arrivalMs = 0;
        qint64 sequence = 0; // position since clear(): stable across evictions, keys the preview cache
        int partition = -1;
        int batchIndex = -1;
        int redeliveryCount = 0;
        AckState ack = AckState::Pending;
        bool redelivered = false;
    };

    static Row compact(const Pulsar::ReceivedMessage &message, qint64 arrivalMs, AckState state);
    const Row &rowAt(int row) const { return m_rows[size_t(row)]; }
    QString displayText(const Row &row, int column) const;
    void dropOldest(int count);
    void markDirty(qint64 sequence);

    std::deque<Row> m_rows;
    std::deque<Row> m_queued;
    int m_maxRows = DefaultMaxRows;
    qint64 m_nextSequence = 0;
    qint64 m_totalAppended = 0;
    qint64 m_dropped = 0;
    // Ack changes not yet announced, as a sequence range (rows shift when the oldest are dropped).
    qint64 m_dirtyFirst = -1;
    qint64 m_dirtyLast = -1;
    mutable QCache<qint64, QString> m_previewCache;
    QTimer m_flushTimer;
};

} // namespace Gui
