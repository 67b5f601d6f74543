#pragma once

#include "messagestore.h"
#include "segmentformat.h"
#include "storeoptions.h"

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QString>
#include <QThread>
#include <QVector>
#include <QWaitCondition>

#include <deque>
#include <functional>
#include <memory>

// Internals of MessageStore: the shared segment catalog, the writer thread (group commit) and the
// background thread (disk reads, cursor and metadata files). Not part of the store's API.
namespace Proxy::Detail {

using SegmentFormat::IndexPoint;

// What readers and stats may know about a segment: only committed state ever lands here.
struct CatalogSegment
{
    qint64 firstEntryId = 0;
    qint64 entries = 0;
    qint64 endOffset = SegmentFormat::HeaderSize;
    qint64 lastWriteMs = 0;
    bool sealed = false;
    QVector<IndexPoint> points;
};

struct CatalogTopic
{
    QString dir;
    QVector<CatalogSegment> segments; // ascending, contiguous entry ids
};

// Shared between the three threads under one mutex; holders only copy small things out of it.
struct Catalog
{
    mutable QMutex mutex;
    QHash<qint64, CatalogTopic> topics;
};

struct CommitReport
{
    QVector<quint64> tickets;
    QVector<QPair<qint64, qint64>> lastCommitted; // ledger id -> last committed entry id
    qint64 bytes = 0;                             // payload bytes leaving the pending budget
    bool sealedSegment = false;
};

struct FailureReport
{
    struct Rewind
    {
        qint64 ledgerId;
        qint64 entryId; // first failed entry id: the topic's next id goes back here
        qint64 epoch;
    };
    QVector<QPair<QString, QVector<quint64>>> byReason;
    QVector<Rewind> rewinds;
    qint64 bytes = 0;
};

struct Task
{
    enum Kind
    {
        Append,
        CreateTopic,
        DeleteTopic,
        DeleteSegments,
        Barrier,
    };
    Kind kind = Append;
    qint64 ledgerId = -1;
    qint64 entryId = -1;
    qint64 epoch = 0;
    quint64 ticket = 0;
    QByteArray data;
    QString name;
    qint64 createdAtMs = 0;
    qint64 value = 0; // CreateTopic: next ledger id to persist; DeleteSegments: new first entry id
    QVector<qint64> segments;
    std::function<void()> done;
};

struct WriterSegment
{
    int fd = -1;
    qint64 ledgerId = -1;
    QString dir;
    QString path;
    qint64 firstEntryId = 0;
    qint64 writeOffset = SegmentFormat::HeaderSize;
    qint64 committedOffset = SegmentFormat::HeaderSize;
    qint64 committedEntries = 0;
    QVector<IndexPoint> points;
    SegmentFormat::IndexBuilder builder;
    bool unsynced = false;    // written but not yet fdatasync'ed (Interval/None)
    bool dirUnsynced = false; // its directory entry is not yet durable
    // Per commit group:
    QByteArray buffer;
    qint64 bufferOffset = 0;
    qint64 groupEntries = 0;
    QVector<IndexPoint> groupPoints;
    bool inGroup = false;
    bool rolled = false;
    bool failed = false;
    QString failReason;
};

struct WriterTopic
{
    qint64 ledgerId = -1;
    QString name;
    QString dir;
    qint64 createdAtMs = 0;
    qint64 floorEntryId = 0;
    qint64 nextEntryId = 0;
    qint64 failedEpoch = -1;
    QString failReason;
    std::shared_ptr<WriterSegment> active;
};

struct RecoveredTopic
{
    qint64 ledgerId = -1;
    QString name;
    qint64 createdAtMs = 0;
    qint64 nextEntryId = 0;
};

class WriterThread final : public QThread
{
    Q_OBJECT
public:
    WriterThread(const StoreOptions &options, Catalog &catalog);
    ~WriterThread() override;

    void addRecoveredTopic(const WriterTopic &topic);
    // Owner thread only. The task reaches the writer when the owner's event loop next runs (see handOver()).
    void enqueue(Task task);
    // Hands over what enqueue() staged and stops once everything is written.
    void stop();

    std::function<void(CommitReport)> onCommit;
    std::function<void(FailureReport)> onFailure;

protected:
    void run() override;

private:
    struct GroupRecord
    {
        quint64 ticket;
        qint64 ledgerId;
        qint64 entryId;
        qint64 epoch;
        qint64 bytes;
        std::shared_ptr<WriterSegment> segment; // null: failed before it was laid out
        QString reason;
    };

    void handOver();
    void process(Task &task);
    void layout(Task &task);
    void flushGroup();
    std::shared_ptr<WriterSegment> createSegment(WriterTopic &topic, qint64 firstEntryId, QString *reason);
    void seal(WriterTopic *topic, WriterSegment &segment);
    void discard(qint64 ledgerId, WriterSegment &segment);
    void syncUnsynced();
    bool writeTopicFile(const WriterTopic &topic, QString *error);
    void createTopic(const Task &task);
    void deleteTopic(const Task &task);
    void deleteSegments(const Task &task);

    StoreOptions m_options;
    Catalog &m_catalog;
    QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Task> m_queue;
    bool m_stopping = false;
    std::deque<Task> m_staged; // owner thread only

    // Writer-thread state only.
    QHash<qint64, WriterTopic> m_topics;
    QVector<GroupRecord> m_group;
    QVector<std::shared_ptr<WriterSegment>> m_touched;
    qint64 m_groupBytes = 0;
    qint64 m_groupPayload = 0;
    qint64 m_lastSyncMs = 0;
};

// Disk reads and small-file writes off the owner thread. File writes are coalesced per path (latest
// content wins), so a burst of cursor saves for one topic costs one write.
class BackgroundThread final : public QThread
{
    Q_OBJECT
public:
    BackgroundThread() = default;
    ~BackgroundThread() override;
    void post(std::function<void()> job);
    void writeFile(const QString &path, const QByteArray &bytes);
    // Blocks until everything posted so far is done.
    void drain();
    void stop();

protected:
    void run() override;

private:
    QMutex m_mutex;
    QWaitCondition m_wake;
    QWaitCondition m_idle;
    std::deque<std::function<void()>> m_jobs;
    QHash<QString, QByteArray> m_writes;
    QStringList m_writeOrder;
    bool m_busy = false;
    bool m_stopping = false;
};

// Reads committed entries of one topic from its segment files (any thread but the writer's lock-free
// state; it only takes the catalog mutex briefly).
QVector<StoredEntry> readEntries(const Catalog &catalog, qint64 ledgerId, qint64 fromEntryId, int maxCount,
                                 qint64 maxBytes);

// Recovers every topic directory under dataDir/topics: fills the catalog, hands the writer its open
// active segments, and reports what it had to read.
bool recoverTopics(const QString &dataDir, const StoreOptions &options, Catalog &catalog, WriterThread &writer,
                   QVector<RecoveredTopic> *topics, OpenStats *stats, QString *error);

struct Engine
{
    Engine(const StoreOptions &options)
        : writer(options, catalog)
    {}
    Catalog catalog;
    WriterThread writer;
    BackgroundThread background;
};

} // namespace Proxy::Detail
