#include "storeengine.h"

#include "fileio.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

#include <algorithm>
#include <fcntl.h>
#include <iterator>
#include <limits>

namespace Proxy::Detail {
namespace {

Q_LOGGING_CATEGORY(lcStore, "pdesk.proxy.store")

// BookKeeper's journalBufferedWritesThreshold: past this much in one group, commit rather than keep
// batching, so one slow fdatasync never covers an unbounded amount of data.
constexpr qint64 GroupCommitBytes = 512 * 1024;
// How far past the logical end of an active segment start-up looks for leftovers of a torn write.
constexpr qint64 TailCheckBytes = 64 * 1024;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

const char *tr_noop(const char *s)
{
    return s;
}

CatalogSegment *findSegment(Catalog &catalog, qint64 ledgerId, qint64 firstEntryId)
{
    auto it = catalog.topics.find(ledgerId);
    if (it == catalog.topics.end())
        return nullptr;
    for (auto s = it->segments.rbegin(); s != it->segments.rend(); ++s)
        if (s->firstEntryId == firstEntryId)
            return &*s;
    return nullptr;
}

void shrinkOrClear(QByteArray &buffer)
{
    // Keep a modest buffer for the next group, but do not let a thousand idle topics each hold 512 KiB.
    if (buffer.capacity() > 256 * 1024)
        buffer.clear();
    else
        buffer.resize(0);
}

} // namespace

// ---------------------------------------------------------------------------------------------------------
// Writer thread

WriterThread::WriterThread(const StoreOptions &options, Catalog &catalog)
    : m_options(options)
    , m_catalog(catalog)
{
    setObjectName(QStringLiteral("pdesk-store-writer"));
}

WriterThread::~WriterThread()
{
    stop();
    wait();
    for (auto &t : m_topics)
        if (t.active)
            FileIo::closeFile(t.active->fd);
}

void WriterThread::addRecoveredTopic(const WriterTopic &topic)
{
    m_topics.insert(topic.ledgerId, topic);
}

void WriterThread::enqueue(Task task)
{
    // Tasks wait here until the owner's event loop finishes its current pass (every frame a socket read brought),
    // then go over together. Handing each one over at once woke the writer every few messages: it writes far
    // faster than the sockets bring messages, so it was nearly always asleep, and each wake cost a futex call on
    // this thread and a context switch on the writer's (17% of the proxy's time in a 1 KiB publish profile).
    const bool first = m_staged.empty();
    m_staged.push_back(std::move(task));
    if (first)
        QMetaObject::invokeMethod(
            this, [this] { handOver(); }, Qt::QueuedConnection);
}

void WriterThread::handOver()
{
    if (m_staged.empty())
        return;
    QMutexLocker lock(&m_mutex);
    const bool wasEmpty = m_queue.empty();
    if (wasEmpty) {
        m_queue.swap(m_staged);
    } else {
        std::move(m_staged.begin(), m_staged.end(), std::back_inserter(m_queue));
        m_staged.clear();
    }
    // The writer only sleeps on an empty queue, so only a hand-over to an empty one needs to wake it.
    if (wasEmpty)
        m_wake.wakeOne();
}

void WriterThread::stop()
{
    handOver();
    QMutexLocker lock(&m_mutex);
    m_stopping = true;
    m_wake.wakeOne();
}

void WriterThread::run()
{
    m_lastSyncMs = nowMs();
    for (;;) {
        std::deque<Task> batch;
        {
            QMutexLocker lock(&m_mutex);
            while (m_queue.empty() && !m_stopping) {
                if (m_options.sync == StoreOptions::Interval) {
                    const qint64 left = m_lastSyncMs + m_options.syncIntervalMs - nowMs();
                    if (left <= 0)
                        break;
                    m_wake.wait(&m_mutex, QDeadlineTimer(left));
                } else {
                    m_wake.wait(&m_mutex);
                }
            }
            batch.swap(m_queue);
            if (batch.empty() && m_stopping)
                break;
        }
        // Everything queued while the previous group was being synced forms the next group: the longer a
        // sync takes, the more it covers (adaptive group commit, no timer needed).
        for (Task &task : batch) {
            process(task);
            if (m_groupBytes >= GroupCommitBytes)
                flushGroup();
        }
        flushGroup();
        if (m_options.sync == StoreOptions::Interval && nowMs() - m_lastSyncMs >= m_options.syncIntervalMs)
            syncUnsynced();
    }
    flushGroup();
    syncUnsynced();
    for (auto &t : m_topics) {
        if (t.active) {
            FileIo::closeFile(t.active->fd);
            t.active->fd = -1;
        }
    }
}

void WriterThread::process(Task &task)
{
    switch (task.kind) {
    case Task::Append:
        layout(task);
        break;
    case Task::CreateTopic:
        createTopic(task);
        break;
    case Task::DeleteTopic:
        flushGroup();
        deleteTopic(task);
        break;
    case Task::DeleteSegments:
        deleteSegments(task);
        break;
    case Task::Barrier:
        flushGroup();
        syncUnsynced();
        if (task.done)
            task.done();
        break;
    }
}

void WriterThread::layout(Task &task)
{
    const qint64 payload = task.data.size();
    GroupRecord rec{task.ticket, task.ledgerId, task.entryId, task.epoch, SegmentFormat::recordSize(payload),
                    nullptr,     QString()};
    auto it = m_topics.find(task.ledgerId);
    if (it == m_topics.end()) {
        rec.reason = QCoreApplication::translate("Proxy::MessageStore", "Topic was deleted");
        m_group.append(rec);
        return;
    }
    WriterTopic &t = *it;
    if (task.epoch <= t.failedEpoch) {
        // An earlier entry of this topic failed: later ones of the same epoch must not land behind a hole.
        rec.reason = t.failReason;
        m_group.append(rec);
        return;
    }
    if (task.entryId != t.nextEntryId) {
        rec.reason = QCoreApplication::translate("Proxy::MessageStore", "Entry %1 out of sequence (expected %2)")
                         .arg(task.entryId)
                         .arg(t.nextEntryId);
        t.failedEpoch = task.epoch;
        t.failReason = rec.reason;
        m_group.append(rec);
        return;
    }
    const qint64 size = SegmentFormat::recordSize(payload);
    std::shared_ptr<WriterSegment> seg = t.active;
    if (!seg || (seg->writeOffset + size > m_options.segmentBytes && seg->writeOffset > SegmentFormat::HeaderSize)) {
        QString reason;
        auto fresh = createSegment(t, task.entryId, &reason);
        if (!fresh) {
            rec.reason = reason;
            t.failedEpoch = task.epoch;
            t.failReason = reason;
            m_group.append(rec);
            return;
        }
        if (seg) {
            seg->rolled = true;
            if (!seg->inGroup) {
                seg->inGroup = true;
                seg->bufferOffset = seg->writeOffset;
                m_touched.append(seg);
            }
        }
        t.active = fresh;
        seg = fresh;
    }
    if (!seg->inGroup) {
        seg->inGroup = true;
        seg->bufferOffset = seg->writeOffset;
        m_touched.append(seg);
    }
    seg->builder.add(task.entryId, seg->writeOffset, seg->groupPoints);
    SegmentFormat::appendRecord(seg->buffer, task.entryId, task.data.constData(), payload);
    seg->writeOffset += size;
    ++seg->groupEntries;
    ++t.nextEntryId;
    rec.segment = seg;
    m_group.append(rec);
    m_groupBytes += size;
    task.data = QByteArray(); // the owner's copy lives in the read cache; drop ours early
}

std::shared_ptr<WriterSegment> WriterThread::createSegment(WriterTopic &topic, qint64 firstEntryId, QString *reason)
{
    QDir().mkpath(topic.dir);
    const QString topicFile = topic.dir + QStringLiteral("/topic.json");
    // A topic directory without topic.json is discarded at start-up, so never commit data without it.
    if (!QFileInfo::exists(topicFile) && !writeTopicFile(topic, reason))
        return nullptr;
    auto seg = std::make_shared<WriterSegment>();
    seg->ledgerId = topic.ledgerId;
    seg->dir = topic.dir;
    seg->path = topic.dir + QLatin1Char('/') + SegmentFormat::segmentFileName(firstEntryId);
    seg->firstEntryId = firstEntryId;
    seg->builder = SegmentFormat::IndexBuilder(firstEntryId);
    int err = 0;
    seg->fd = FileIo::openFile(seg->path, O_RDWR | O_CREAT | O_TRUNC, &err);
    if (seg->fd < 0) {
        *reason = FileIo::describe(err, tr_noop("creating"), seg->path);
        return nullptr;
    }
    const QByteArray header = SegmentFormat::encodeHeader({topic.ledgerId, firstEntryId, nowMs()});
    const char *action = nullptr;
    if (!FileIo::preallocate(seg->fd, m_options.segmentBytes, &err))
        action = tr_noop("preallocating");
    else if (!FileIo::writeAt(seg->fd, header.constData(), header.size(), 0, &err))
        action = tr_noop("writing");
    if (action) {
        *reason = FileIo::describe(err, action, seg->path);
        FileIo::closeFile(seg->fd);
        FileIo::removeFile(seg->path);
        return nullptr;
    }
    seg->dirUnsynced = true;
    {
        QMutexLocker lock(&m_catalog.mutex);
        auto it = m_catalog.topics.find(topic.ledgerId);
        if (it != m_catalog.topics.end()) {
            CatalogSegment cs;
            cs.firstEntryId = firstEntryId;
            cs.lastWriteMs = nowMs();
            it->segments.append(cs);
        }
    }
    return seg;
}

void WriterThread::flushGroup()
{
    if (m_group.isEmpty() && m_touched.isEmpty())
        return;
    int err = 0;
    for (auto &s : m_touched) {
        if (!s->buffer.isEmpty() &&
            !FileIo::writeAt(s->fd, s->buffer.constData(), s->buffer.size(), s->bufferOffset, &err)) {
            s->failed = true;
            s->failReason = FileIo::describe(err, tr_noop("writing"), s->path);
        }
    }
    if (m_options.sync == StoreOptions::Always) {
        for (auto &s : m_touched) {
            if (s->failed || s->buffer.isEmpty())
                continue;
            if (s->dirUnsynced) {
                if (FileIo::syncDirectory(s->dir, &err))
                    s->dirUnsynced = false;
                else {
                    s->failed = true;
                    s->failReason = FileIo::describe(err, tr_noop("syncing the directory of"), s->path);
                    continue;
                }
            }
            if (!FileIo::syncData(s->fd, &err)) {
                s->failed = true;
                s->failReason = FileIo::describe(err, tr_noop("syncing"), s->path);
            }
        }
    } else {
        for (auto &s : m_touched)
            if (!s->failed && !s->buffer.isEmpty())
                s->unsynced = true;
    }

    // Per topic, entries are committed as a prefix: the first failure fails everything after it.
    struct TopicFailure
    {
        qint64 entryId;
        qint64 epoch;
        WriterSegment *segment;
    };
    QHash<qint64, TopicFailure> failedTopics;
    CommitReport commit;
    FailureReport failure;
    QHash<qint64, qint64> lastCommitted;
    QHash<QPair<qint64, qint64>, qint64> rewinds;
    auto fail = [&](const GroupRecord &r, const QString &reason) {
        auto slot = std::find_if(failure.byReason.begin(), failure.byReason.end(),
                                 [&](const auto &p) { return p.first == reason; });
        if (slot == failure.byReason.end())
            failure.byReason.append({reason, {r.ticket}});
        else
            slot->second.append(r.ticket);
        failure.bytes += r.bytes;
        const auto key = qMakePair(r.ledgerId, r.epoch);
        auto rw = rewinds.find(key);
        if (rw == rewinds.end())
            rewinds.insert(key, r.entryId);
        else
            *rw = std::min(*rw, r.entryId);
    };
    for (const GroupRecord &r : std::as_const(m_group)) {
        if (!r.segment) {
            fail(r, r.reason);
            continue;
        }
        auto it = failedTopics.find(r.ledgerId);
        if (it == failedTopics.end() && r.segment->failed)
            it = failedTopics.insert(r.ledgerId, {r.entryId, r.epoch, r.segment.get()});
        if (it != failedTopics.end()) {
            fail(r, it->segment->failReason);
            continue;
        }
        commit.tickets.append(r.ticket);
        commit.bytes += r.bytes;
        lastCommitted[r.ledgerId] = r.entryId;
    }
    for (auto it = failedTopics.cbegin(); it != failedTopics.cend(); ++it) {
        auto t = m_topics.find(it.key());
        if (t == m_topics.end())
            continue;
        t->failedEpoch = std::max(t->failedEpoch, it->epoch);
        t->failReason = it->segment->failReason;
        t->nextEntryId = it->entryId;
        t->active.reset();
    }

    QVector<std::shared_ptr<WriterSegment>> toSeal;
    QVector<std::shared_ptr<WriterSegment>> toDiscard;
    QSet<qint64> pastFailure;
    const qint64 now = nowMs();
    {
        QMutexLocker lock(&m_catalog.mutex);
        for (auto &s : m_touched) {
            auto f = failedTopics.constFind(s->ledgerId);
            if (f != failedTopics.cend() && f->segment == s.get())
                pastFailure.insert(s->ledgerId);
            if (pastFailure.contains(s->ledgerId)) {
                // Never write into this file again: after a failed write or fdatasync its page cache
                // state is unknown. Keep what was committed, sealed at the committed end.
                s->writeOffset = s->committedOffset;
                (s->committedEntries > 0 ? toSeal : toDiscard).append(s);
                continue;
            }
            s->committedOffset = s->writeOffset;
            s->committedEntries += s->groupEntries;
            s->points += s->groupPoints;
            if (CatalogSegment *cs = findSegment(m_catalog, s->ledgerId, s->firstEntryId)) {
                cs->entries = s->committedEntries;
                cs->endOffset = s->committedOffset;
                cs->points += s->groupPoints;
                if (s->groupEntries > 0)
                    cs->lastWriteMs = now;
            }
            if (s->rolled)
                toSeal.append(s);
        }
    }
    for (auto it = lastCommitted.cbegin(); it != lastCommitted.cend(); ++it)
        commit.lastCommitted.append({it.key(), it.value()});
    for (auto it = rewinds.cbegin(); it != rewinds.cend(); ++it)
        failure.rewinds.append({it.key().first, it.value(), it.key().second});
    commit.sealedSegment = !toSeal.isEmpty();

    for (auto &s : m_touched) {
        shrinkOrClear(s->buffer);
        s->bufferOffset = s->writeOffset;
        s->groupEntries = 0;
        s->groupPoints.clear();
        s->inGroup = false;
        s->failed = false;
    }
    m_touched.clear();
    m_group.clear();
    m_groupBytes = 0;

    // Acknowledge first; sealing (truncate, index file) can wait a few hundred microseconds.
    if (!commit.tickets.isEmpty() && onCommit)
        onCommit(std::move(commit));
    if (!failure.byReason.isEmpty() && onFailure)
        onFailure(std::move(failure));

    for (auto &s : toSeal) {
        auto t = m_topics.find(s->ledgerId);
        seal(t == m_topics.end() ? nullptr : &*t, *s);
    }
    for (auto &s : toDiscard)
        discard(s->ledgerId, *s);
}

void WriterThread::seal(WriterTopic *topic, WriterSegment &segment)
{
    Q_UNUSED(topic);
    int err = 0;
    // Shrinking to the logical end lets start-up take a sealed segment's size from stat() alone.
    FileIo::truncateFile(segment.fd, segment.committedOffset, &err);
    // The index claims these records exist, so they must be on disk before the index is written, whatever
    // the sync mode.
    if (!FileIo::syncData(segment.fd, &err))
        qCWarning(lcStore) << FileIo::describe(err, "syncing", segment.path);
    if (segment.dirUnsynced && FileIo::syncDirectory(segment.dir, &err))
        segment.dirUnsynced = false;
    SegmentFormat::SegmentIndex index;
    index.ledgerId = segment.ledgerId;
    index.firstEntryId = segment.firstEntryId;
    index.entries = segment.committedEntries;
    index.endOffset = segment.committedOffset;
    index.lastWriteMs = nowMs();
    index.points = segment.points;
    QString error;
    if (!FileIo::writeFileAtomic(segment.dir + QLatin1Char('/') + SegmentFormat::indexFileName(segment.firstEntryId),
                                 SegmentFormat::encodeIndex(index), &error))
        qCWarning(lcStore) << "index not written (it is rebuilt at start-up):" << error;
    FileIo::closeFile(segment.fd);
    segment.fd = -1;
    segment.points.clear();
    segment.buffer.clear();
    QMutexLocker lock(&m_catalog.mutex);
    if (CatalogSegment *cs = findSegment(m_catalog, segment.ledgerId, segment.firstEntryId)) {
        cs->sealed = true;
        cs->entries = segment.committedEntries;
        cs->endOffset = segment.committedOffset;
        cs->lastWriteMs = index.lastWriteMs;
    }
}

void WriterThread::discard(qint64 ledgerId, WriterSegment &segment)
{
    FileIo::closeFile(segment.fd);
    segment.fd = -1;
    FileIo::removeFile(segment.path);
    QMutexLocker lock(&m_catalog.mutex);
    auto it = m_catalog.topics.find(ledgerId);
    if (it == m_catalog.topics.end())
        return;
    auto &segs = it->segments;
    segs.erase(std::remove_if(segs.begin(), segs.end(),
                              [&](const CatalogSegment &c) { return c.firstEntryId == segment.firstEntryId; }),
               segs.end());
}

void WriterThread::syncUnsynced()
{
    int err = 0;
    for (auto &t : m_topics) {
        WriterSegment *s = t.active.get();
        if (!s || s->fd < 0)
            continue;
        if (s->dirUnsynced && FileIo::syncDirectory(s->dir, &err))
            s->dirUnsynced = false;
        if (s->unsynced) {
            if (FileIo::syncData(s->fd, &err))
                s->unsynced = false;
            else
                qCWarning(lcStore) << FileIo::describe(err, "syncing", s->path);
        }
    }
    m_lastSyncMs = nowMs();
}

bool WriterThread::writeTopicFile(const WriterTopic &topic, QString *error)
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), topic.name);
    o.insert(QStringLiteral("ledgerId"), topic.ledgerId);
    o.insert(QStringLiteral("createdAtMs"), topic.createdAtMs);
    o.insert(QStringLiteral("firstEntryId"), topic.floorEntryId);
    return FileIo::writeFileAtomic(topic.dir + QStringLiteral("/topic.json"), QJsonDocument(o).toJson(), error);
}

void WriterThread::createTopic(const Task &task)
{
    WriterTopic t;
    t.ledgerId = task.ledgerId;
    t.name = task.name;
    t.dir = m_options.dataDir + QStringLiteral("/topics/") + QString::number(task.ledgerId);
    t.createdAtMs = task.createdAtMs;
    QString error;
    QJsonObject store;
    store.insert(QStringLiteral("version"), 1);
    store.insert(QStringLiteral("nextLedgerId"), task.value);
    // The counter is persisted before the topic exists, so a ledger id is never handed out twice.
    if (!FileIo::writeFileAtomic(m_options.dataDir + QStringLiteral("/store.json"), QJsonDocument(store).toJson(),
                                 &error))
        qCWarning(lcStore) << error;
    if (!QDir().mkpath(t.dir) || !writeTopicFile(t, &error))
        qCWarning(lcStore) << "topic" << t.name << "not created yet (retried on first append):" << error;
    m_topics.insert(t.ledgerId, t);
}

void WriterThread::deleteTopic(const Task &task)
{
    auto it = m_topics.find(task.ledgerId);
    QString dir = m_options.dataDir + QStringLiteral("/topics/") + QString::number(task.ledgerId);
    if (it != m_topics.end()) {
        if (it->active)
            FileIo::closeFile(it->active->fd);
        m_topics.erase(it);
    }
    // Renaming first makes the deletion atomic: a crash half-way leaves a *.deleting directory that
    // start-up removes, never a topic missing some of its segments.
    const QString doomed = dir + QStringLiteral(".deleting");
    if (QFileInfo::exists(dir)) {
        if (!QDir().rename(dir, doomed)) {
            qCWarning(lcStore) << "could not remove" << dir;
            return;
        }
        int err = 0;
        FileIo::syncDirectory(m_options.dataDir + QStringLiteral("/topics"), &err);
    }
    QDir(doomed).removeRecursively();
}

void WriterThread::deleteSegments(const Task &task)
{
    auto it = m_topics.find(task.ledgerId);
    if (it == m_topics.end())
        return;
    // Persist the new first entry id before removing files, so that ids stay monotonic even if every
    // segment were gone.
    it->floorEntryId = std::max(it->floorEntryId, task.value);
    QString error;
    if (!writeTopicFile(*it, &error)) {
        qCWarning(lcStore) << "retention postponed:" << error;
        return;
    }
    for (qint64 first : task.segments) {
        FileIo::removeFile(it->dir + QLatin1Char('/') + SegmentFormat::segmentFileName(first));
        FileIo::removeFile(it->dir + QLatin1Char('/') + SegmentFormat::indexFileName(first));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Background thread

BackgroundThread::~BackgroundThread()
{
    stop();
    wait();
}

void BackgroundThread::post(std::function<void()> job)
{
    QMutexLocker lock(&m_mutex);
    m_jobs.push_back(std::move(job));
    m_wake.wakeOne();
}

void BackgroundThread::writeFile(const QString &path, const QByteArray &bytes)
{
    QMutexLocker lock(&m_mutex);
    if (!m_writes.contains(path))
        m_writeOrder.append(path);
    m_writes.insert(path, bytes);
    m_wake.wakeOne();
}

void BackgroundThread::drain()
{
    QMutexLocker lock(&m_mutex);
    while (m_busy || !m_jobs.empty() || !m_writes.isEmpty())
        m_idle.wait(&m_mutex);
}

void BackgroundThread::stop()
{
    QMutexLocker lock(&m_mutex);
    m_stopping = true;
    m_wake.wakeOne();
}

void BackgroundThread::run()
{
    QMutexLocker lock(&m_mutex);
    for (;;) {
        if (!m_writeOrder.isEmpty()) {
            const QString path = m_writeOrder.takeFirst();
            const QByteArray bytes = m_writes.take(path);
            m_busy = true;
            lock.unlock();
            QString error;
            if (!FileIo::writeFileAtomic(path, bytes, &error) && QFileInfo::exists(QFileInfo(path).absolutePath()))
                qCWarning(lcStore) << error;
            lock.relock();
            m_busy = false;
            continue;
        }
        if (!m_jobs.empty()) {
            auto job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_busy = true;
            lock.unlock();
            job();
            lock.relock();
            m_busy = false;
            continue;
        }
        m_idle.wakeAll();
        if (m_stopping)
            break;
        m_wake.wait(&m_mutex);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reads

QVector<StoredEntry> readEntries(const Catalog &catalog, qint64 ledgerId, qint64 fromEntryId, int maxCount,
                                 qint64 maxBytes)
{
    QVector<StoredEntry> out;
    qint64 bytes = 0;
    int misses = 0;
    qint64 from = fromEntryId;
    while (out.size() < maxCount && bytes < maxBytes && misses < 3) {
        QString path;
        qint64 first = 0;
        qint64 entries = 0;
        qint64 endOffset = 0;
        IndexPoint point;
        {
            QMutexLocker lock(&catalog.mutex);
            auto it = catalog.topics.constFind(ledgerId);
            if (it == catalog.topics.cend())
                break;
            const CatalogSegment *seg = nullptr;
            for (const CatalogSegment &s : it->segments) {
                if (s.entries > 0 && s.firstEntryId + s.entries > from) {
                    seg = &s;
                    break;
                }
            }
            if (!seg)
                break;
            from = std::max(from, seg->firstEntryId);
            first = seg->firstEntryId;
            entries = seg->entries;
            endOffset = seg->endOffset;
            point = SegmentFormat::pointFor(seg->points, from - first);
            path = it->dir + QLatin1Char('/') + SegmentFormat::segmentFileName(first);
        }
        int err = 0;
        const int fd = FileIo::openFile(path, O_RDONLY, &err);
        if (fd < 0) {
            ++misses; // trimmed between the lookup and the open: look again
            continue;
        }
        const qint64 before = from;
        SegmentFormat::scanRecords(fd, point.offset, endOffset, first + point.entryDelta, entries - point.entryDelta,
                                   [&](qint64 id, qint64, const char *payload, qint64 size) {
                                       if (id < from)
                                           return true;
                                       if (!out.isEmpty() && bytes + size > maxBytes)
                                           return false;
                                       out.append(StoredEntry{id, QByteArray(payload, size)});
                                       bytes += size;
                                       from = id + 1;
                                       return out.size() < maxCount && bytes < maxBytes;
                                   });
        FileIo::closeFile(fd);
        if (from == before)
            ++misses;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// Recovery

namespace {

struct SegmentFile
{
    qint64 firstEntryId;
    QString path;
};

// Cuts an active segment back to its logical end when anything follows it, so that a later, shorter
// record can never line up with a stale valid record of an earlier life of this file.
void cleanTail(int fd, qint64 endOffset, qint64 segmentBytes, OpenStats *stats)
{
    const qint64 size = FileIo::fileSize(fd);
    bool dirty = size < segmentBytes;
    if (!dirty && endOffset < size) {
        QByteArray tail(std::min(TailCheckBytes, size - endOffset), '\0');
        int err = 0;
        const qint64 got = FileIo::readAt(fd, tail.data(), tail.size(), endOffset, &err);
        stats->bytesScanned += std::max<qint64>(got, 0);
        dirty = got != tail.size() || std::any_of(tail.cbegin(), tail.cend(), [](char c) { return c != 0; });
    }
    if (!dirty)
        return;
    int err = 0;
    FileIo::truncateFile(fd, endOffset, &err);
    FileIo::preallocate(fd, std::max(segmentBytes, endOffset), &err);
    FileIo::syncData(fd, &err);
}

} // namespace

bool recoverTopics(const QString &dataDir, const StoreOptions &options, Catalog &catalog, WriterThread &writer,
                   QVector<RecoveredTopic> *topics, OpenStats *stats, QString *error)
{
    const QString topicsPath = dataDir + QStringLiteral("/topics");
    if (!QDir().mkpath(topicsPath)) {
        *error = QCoreApplication::translate("Proxy::MessageStore", "Cannot create %1").arg(topicsPath);
        return false;
    }
    QDir topicsDir(topicsPath);
    struct Candidate
    {
        qint64 ledgerId;
        QString dir;
        QString name;
        qint64 createdAtMs;
        qint64 floor;
    };
    QHash<QString, Candidate> byName;
    for (const QString &entry : topicsDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString dir = topicsPath + QLatin1Char('/') + entry;
        bool numeric = false;
        const qint64 ledgerId = entry.toLongLong(&numeric);
        bool ok = false;
        const QJsonObject o =
            QJsonDocument::fromJson(FileIo::readWholeFile(dir + QStringLiteral("/topic.json"), &ok)).object();
        // No topic.json: a creation or deletion that never completed; no committed entry can be in there.
        if (!numeric || !ok || o.value(QStringLiteral("ledgerId")).toInteger(-1) != ledgerId ||
            o.value(QStringLiteral("name")).toString().isEmpty()) {
            QDir(dir).removeRecursively();
            continue;
        }
        Candidate c{ledgerId, dir, o.value(QStringLiteral("name")).toString(),
                    o.value(QStringLiteral("createdAtMs")).toInteger(),
                    o.value(QStringLiteral("firstEntryId")).toInteger()};
        auto existing = byName.find(c.name);
        if (existing != byName.end()) {
            // Deleted and re-created, then a crash before the old directory was removed: the newer wins.
            if (existing->ledgerId > c.ledgerId) {
                QDir(c.dir).removeRecursively();
                continue;
            }
            QDir(existing->dir).removeRecursively();
        }
        byName.insert(c.name, c);
    }

    for (const Candidate &c : std::as_const(byName)) {
        QDir dir(c.dir);
        QVector<SegmentFile> files;
        QSet<qint64> segmentIds;
        for (const QString &name : dir.entryList(QDir::Files)) {
            const qint64 first = SegmentFormat::parseSegmentFileName(name);
            if (first >= 0) {
                files.append({first, c.dir + QLatin1Char('/') + name});
                segmentIds.insert(first);
            }
        }
        for (const QString &name : dir.entryList(QDir::Files)) {
            const bool orphanIndex =
                name.endsWith(QLatin1String(".idx")) && !segmentIds.contains(QStringView(name).left(20).toLongLong());
            if (name.endsWith(QLatin1String(".tmp")) || orphanIndex)
                FileIo::removeFile(c.dir + QLatin1Char('/') + name);
        }
        std::sort(files.begin(), files.end(),
                  [](const SegmentFile &a, const SegmentFile &b) { return a.firstEntryId < b.firstEntryId; });
        // Segments entirely below the persisted first entry id: a trim interrupted by a crash.
        while (files.size() > 1 && files[1].firstEntryId <= c.floor) {
            FileIo::removeFile(files.first().path);
            FileIo::removeFile(c.dir + QLatin1Char('/') + SegmentFormat::indexFileName(files.first().firstEntryId));
            files.removeFirst();
        }

        CatalogTopic ct;
        ct.dir = c.dir;
        WriterTopic wt;
        wt.ledgerId = c.ledgerId;
        wt.name = c.name;
        wt.dir = c.dir;
        wt.createdAtMs = c.createdAtMs;
        wt.floorEntryId = c.floor;
        for (int i = 0; i < files.size(); ++i) {
            const SegmentFile &f = files[i];
            const bool last = i == files.size() - 1;
            const qint64 expected =
                last ? std::numeric_limits<qint64>::max() : files[i + 1].firstEntryId - f.firstEntryId;
            const QString indexPath = c.dir + QLatin1Char('/') + SegmentFormat::indexFileName(f.firstEntryId);
            if (!last) {
                bool ok = false;
                SegmentFormat::SegmentIndex index;
                const QByteArray bytes = FileIo::readWholeFile(indexPath, &ok);
                if (ok && SegmentFormat::decodeIndex(bytes, &index) && index.ledgerId == c.ledgerId &&
                    index.firstEntryId == f.firstEntryId && index.entries == expected && !index.points.isEmpty() &&
                    QFileInfo(f.path).size() >= index.endOffset) {
                    CatalogSegment cs;
                    cs.firstEntryId = f.firstEntryId;
                    cs.entries = index.entries;
                    cs.endOffset = index.endOffset;
                    cs.lastWriteMs = index.lastWriteMs;
                    cs.sealed = true;
                    cs.points = std::move(index.points);
                    ct.segments.append(std::move(cs));
                    continue;
                }
            }
            // The active segment, or a sealed one whose index is missing or does not match: scan it.
            int err = 0;
            const int fd = FileIo::openFile(f.path, O_RDWR, &err);
            if (fd < 0) {
                *error = FileIo::describe(err, "opening", f.path);
                return false;
            }
            const qint64 size = FileIo::fileSize(fd);
            QByteArray headerBytes(SegmentFormat::HeaderSize, '\0');
            SegmentFormat::SegmentHeader header;
            const bool headerOk =
                FileIo::readAt(fd, headerBytes.data(), headerBytes.size(), 0, &err) == headerBytes.size() &&
                SegmentFormat::decodeHeader(headerBytes.constData(), headerBytes.size(), &header) &&
                header.ledgerId == c.ledgerId && header.firstEntryId == f.firstEntryId;
            CatalogSegment cs;
            cs.firstEntryId = f.firstEntryId;
            cs.lastWriteMs = QFileInfo(f.path).lastModified().toMSecsSinceEpoch();
            SegmentFormat::IndexBuilder builder(f.firstEntryId);
            qint64 lastPointEntry = -1;
            qint64 lastPointOffset = 0;
            SegmentFormat::ScanResult scan;
            scan.endOffset = SegmentFormat::HeaderSize;
            if (headerOk) {
                scan = SegmentFormat::scanRecords(fd, SegmentFormat::HeaderSize, size, f.firstEntryId, expected,
                                                  [&](qint64 id, qint64 offset, const char *, qint64) {
                                                      const int before = cs.points.size();
                                                      builder.add(id, offset, cs.points);
                                                      if (cs.points.size() != before) {
                                                          lastPointEntry = id;
                                                          lastPointOffset = offset;
                                                      }
                                                      return true;
                                                  });
            }
            ++stats->segmentsScanned;
            stats->recordsScanned += scan.entries;
            stats->bytesScanned += scan.bytesRead;
            cs.entries = scan.entries;
            cs.endOffset = scan.endOffset;
            bool active = last;
            if (!last && scan.entries < expected) {
                // A hole: entries after it were never acknowledged (commits are per-topic prefixes), so
                // the later segments go and this one becomes the active segment again.
                for (int j = i + 1; j < files.size(); ++j) {
                    FileIo::removeFile(files[j].path);
                    FileIo::removeFile(c.dir + QLatin1Char('/') + SegmentFormat::indexFileName(files[j].firstEntryId));
                }
                files.resize(i + 1);
                active = true;
            }
            if (!active) {
                cs.sealed = true;
                FileIo::truncateFile(fd, cs.endOffset, &err);
                SegmentFormat::SegmentIndex index{c.ledgerId,   f.firstEntryId, cs.entries,
                                                  cs.endOffset, cs.lastWriteMs, cs.points};
                QString indexError;
                if (FileIo::writeFileAtomic(indexPath, SegmentFormat::encodeIndex(index), &indexError))
                    ++stats->indexesRebuilt;
                FileIo::closeFile(fd);
                ct.segments.append(std::move(cs));
                continue;
            }
            if (!headerOk) {
                const QByteArray fresh = SegmentFormat::encodeHeader({c.ledgerId, f.firstEntryId, nowMs()});
                FileIo::writeAt(fd, fresh.constData(), fresh.size(), 0, &err);
            }
            FileIo::removeFile(indexPath);
            cleanTail(fd, cs.endOffset, options.segmentBytes, stats);
            auto ws = std::make_shared<WriterSegment>();
            ws->fd = fd;
            ws->ledgerId = c.ledgerId;
            ws->dir = c.dir;
            ws->path = f.path;
            ws->firstEntryId = f.firstEntryId;
            ws->writeOffset = ws->committedOffset = ws->bufferOffset = cs.endOffset;
            ws->committedEntries = cs.entries;
            ws->points = cs.points;
            ws->builder = SegmentFormat::IndexBuilder(f.firstEntryId, lastPointEntry, lastPointOffset);
            wt.active = ws;
            ct.segments.append(std::move(cs));
            break; // a hole above made this the last segment
        }
        wt.nextEntryId = c.floor;
        if (!ct.segments.isEmpty())
            wt.nextEntryId = std::max(c.floor, ct.segments.last().firstEntryId + ct.segments.last().entries);
        stats->segments += ct.segments.size();
        ++stats->topics;
        topics->append({c.ledgerId, c.name, c.createdAtMs, wt.nextEntryId});
        catalog.topics.insert(c.ledgerId, std::move(ct));
        writer.addRecoveredTopic(wt);
    }
    return true;
}

} // namespace Proxy::Detail
