#pragma once

#include "storeoptions.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPair>
#include <QStringList>
#include <QVector>

#include <deque>
#include <memory>

class QTimer;

namespace Proxy {

namespace Detail {
struct Engine;
struct CommitReport;
struct FailureReport;
} // namespace Detail

struct StoredEntry
{
    qint64 entryId = -1;
    QByteArray data;
};

// A durable subscription's position, persisted as the broker hands it over.
struct CursorState
{
    qint64 markDeleteEntryId = -1;
    QVector<QPair<qint64, qint64>> individuallyAcked; // closed ranges above markDeleteEntryId
    QJsonObject properties;                           // the broker's own small metadata (type, durable, ...)

    friend bool operator==(const CursorState &a, const CursorState &b)
    {
        return a.markDeleteEntryId == b.markDeleteEntryId && a.individuallyAcked == b.individuallyAcked &&
               a.properties == b.properties;
    }
};

struct SegmentStats
{
    qint64 firstEntryId = 0;
    qint64 entries = 0;
    qint64 sizeBytes = 0;
    bool sealed = false;
};

struct TopicStats
{
    qint64 ledgerId = -1; // -1: no such topic
    qint64 firstEntryId = 0;
    qint64 lastCommittedEntryId = -1;
    qint64 entries = 0;
    qint64 sizeBytes = 0;
    qint64 createdAtMs = 0;
    QVector<SegmentStats> segments;
};

// What open() had to do; lets tests check that start-up does not read sealed segments.
struct OpenStats
{
    int topics = 0;
    int segments = 0;
    int segmentsScanned = 0; // active segments, plus sealed ones whose index was missing or bad
    int indexesRebuilt = 0;
    qint64 recordsScanned = 0;
    qint64 bytesScanned = 0;
};

// The bundled proxy's durable message store: one append-only, group-committed segment log per topic, plus
// subscription cursors and the broker's metadata blob. Every public function is called on the thread
// that owns the object (the broker's socket thread) and never blocks on the disk there, except open()
// and close(); writes, fsyncs and disk reads happen on a writer thread and a background thread, and their
// outcome comes back as queued signals. See docs/architecture-store.md.
class MessageStore final : public QObject
{
    Q_OBJECT
public:
    explicit MessageStore(const StoreOptions &options, QObject *parent = nullptr);
    ~MessageStore() override;

    // Recovers the data directory (torn tails discarded, indexes of sealed segments loaded, not scanned)
    // and starts the threads. Blocks; call it before serving.
    bool open(QString *error = nullptr);
    // Commits everything appended so far (committed()/appendFailed() are emitted before it returns),
    // persists dirty cursors and metadata, fsyncs and stops the threads.
    void close();
    bool isOpen() const { return m_engine != nullptr; }
    const StoreOptions &options() const { return m_options; }
    OpenStats openStats() const { return m_openStats; }

    // Topics. createTopic returns the topic's ledger id (a new one, never reused, or the existing one).
    qint64 createTopic(const QString &name);
    bool hasTopic(const QString &name) const;
    QStringList topicNames() const;
    qint64 ledgerId(const QString &name) const;
    // Forgets the topic at once; its files (segments, cursors) are removed on the writer thread after
    // whatever was appended to it before is committed.
    bool deleteTopic(const QString &name);
    TopicStats topicStats(const QString &name) const;

    // Queues entry for the next group commit and returns its entry id, or -1 (with *reason set) when the
    // topic is unknown, the pending bound is reached or the store is not open. The outcome arrives as
    // committed() or appendFailed() carrying ticket.
    qint64 append(const QString &topic, const QByteArray &entry, quint64 ticket, QString *reason = nullptr);
    // The same by the topic's ledger id (ledgerId()), which spares the broker's hot path a string hash.
    qint64 appendToLedger(qint64 ledgerId, const QByteArray &entry, quint64 ticket, QString *reason = nullptr);
    // Entries up to here are durable and readable; -1 when the topic has none.
    qint64 lastCommittedEntryId(const QString &topic) const;
    qint64 pendingBytes() const { return m_pendingBytes; }

    // Committed entries from the in-memory tail cache, starting exactly at fromEntryId; empty when that
    // entry is not cached (use readAsync). At least one entry is returned if available, even above maxBytes.
    QVector<StoredEntry> readCached(const QString &topic, qint64 fromEntryId, int maxCount, qint64 maxBytes) const;
    // Reads committed entries from disk on the background thread and answers with readCompleted(). A
    // fromEntryId below the first stored entry (trimmed) starts at the first stored entry.
    void readAsync(const QString &topic, qint64 fromEntryId, int maxCount, qint64 maxBytes, quint64 token);

    // Cursors are kept in memory and persisted, coalesced, at most every 100 ms and at close.
    void saveCursor(const QString &topic, const QString &subscription, const CursorState &state);
    QHash<QString, CursorState> cursors(const QString &topic) const;
    void deleteCursor(const QString &topic, const QString &subscription);

    QJsonObject metadata() const { return m_metadata; }
    void saveMetadata(const QJsonObject &metadata);

    // Deletes the topic's sealed segments that every durable cursor has consumed and that retention no
    // longer keeps. pinnedEntryId (e.g. a non-durable reader's position) protects entries at or above it.
    // Returns the number of segments scheduled for deletion.
    int trim(const QString &topic, qint64 pinnedEntryId = -1);

    static constexpr int CursorFlushIntervalMs = 100;
    // Individually acknowledged ranges persisted per cursor; above this, the highest ranges are dropped
    // (those messages may be redelivered after a restart, which at-least-once allows). Pulsar's
    // managedLedgerMaxUnackedRangesToPersist has the same default.
    static constexpr int MaxPersistedAckRanges = 10000;

Q_SIGNALS:
    // One signal per commit group, tickets in append order.
    void committed(const QVector<quint64> &tickets);
    void appendFailed(const QVector<quint64> &tickets, const QString &reason);
    void readCompleted(quint64 token, const QString &topic, const QVector<Proxy::StoredEntry> &entries);

private:
    struct Topic;
    Topic *findTopic(const QString &name) const;
    void applyCommit(const Detail::CommitReport &report);
    void applyFailure(const Detail::FailureReport &report);
    qint64 appendTo(Topic *topic, const QString &name, const QByteArray &entry, quint64 ticket, QString *reason);
    void cacheInsert(Topic &topic, qint64 entryId, const QByteArray &data);
    void cacheEvict();
    void flushCursors();
    void trimAll();
    QString topicDir(qint64 ledgerId) const;
    bool recover(QString *error);

    StoreOptions m_options;
    OpenStats m_openStats;
    std::unique_ptr<Detail::Engine> m_engine;
    QHash<QString, std::shared_ptr<Topic>> m_topics;
    QHash<qint64, std::shared_ptr<Topic>> m_topicsByLedger;
    qint64 m_nextLedgerId = 1;
    qint64 m_pendingBytes = 0;
    qint64 m_cacheBytes = 0;
    std::deque<qint64> m_cacheOrder; // ledger ids in append order: the global "oldest first" for eviction
    QJsonObject m_metadata;
    QTimer *m_cursorTimer = nullptr;
    QTimer *m_retentionTimer = nullptr;
    int m_lockFd = -1;
};

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::StoredEntry)
