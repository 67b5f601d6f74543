#include "messagestore.h"

#include "fileio.h"
#include "segmentformat.h"
#include "storeengine.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>
#include <fcntl.h>
#include <sys/file.h>

namespace Proxy {

namespace {

// Per cached entry bookkeeping (deque slot, QByteArray header, eviction queue slot), charged to the cache
// budget so that a flood of empty entries is bounded too.
constexpr qint64 CacheEntryOverhead = 64;
constexpr int RetentionCheckIntervalMs = 60 * 1000;

QJsonObject cursorToJson(const CursorState &state)
{
    QJsonObject o;
    o.insert(QStringLiteral("markDelete"), state.markDeleteEntryId);
    QJsonArray ranges;
    const int n = std::min<int>(state.individuallyAcked.size(), MessageStore::MaxPersistedAckRanges);
    for (int i = 0; i < n; ++i)
        ranges.append(QJsonArray{state.individuallyAcked[i].first, state.individuallyAcked[i].second});
    o.insert(QStringLiteral("acked"), ranges);
    o.insert(QStringLiteral("properties"), state.properties);
    return o;
}

CursorState cursorFromJson(const QJsonObject &o)
{
    CursorState state;
    state.markDeleteEntryId = o.value(QStringLiteral("markDelete")).toInteger(-1);
    for (const QJsonValue &v : o.value(QStringLiteral("acked")).toArray()) {
        const QJsonArray r = v.toArray();
        if (r.size() == 2)
            state.individuallyAcked.append({r.at(0).toInteger(), r.at(1).toInteger()});
    }
    state.properties = o.value(QStringLiteral("properties")).toObject();
    return state;
}

} // namespace

struct MessageStore::Topic
{
    QString name;
    qint64 ledgerId = -1;
    qint64 createdAtMs = 0;
    qint64 nextEntryId = 0;
    qint64 lastCommitted = -1;
    // Bumped each time a failure rewinds nextEntryId, so the writer can tell entries laid out before
    // the failure (which must fail too) from the retries after it.
    qint64 epoch = 0;
    std::deque<StoredEntry> cache; // contiguous entry ids, oldest first
    qint64 cacheBytes = 0;
    QHash<QString, CursorState> cursors;
    bool cursorsDirty = false;
};

MessageStore::MessageStore(const StoreOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    qRegisterMetaType<Proxy::StoredEntry>();
    qRegisterMetaType<QVector<Proxy::StoredEntry>>();
    qRegisterMetaType<QVector<quint64>>();
    m_cursorTimer = new QTimer(this);
    m_cursorTimer->setSingleShot(true);
    m_cursorTimer->setInterval(CursorFlushIntervalMs);
    connect(m_cursorTimer, &QTimer::timeout, this, &MessageStore::flushCursors);
    m_retentionTimer = new QTimer(this);
    m_retentionTimer->setInterval(RetentionCheckIntervalMs);
    connect(m_retentionTimer, &QTimer::timeout, this, &MessageStore::trimAll);
}

MessageStore::~MessageStore()
{
    close();
}

QString MessageStore::topicDir(qint64 ledgerId) const
{
    return m_options.dataDir + QStringLiteral("/topics/") + QString::number(ledgerId);
}

bool MessageStore::open(QString *error)
{
    if (m_engine)
        return true;
    QString dummy;
    QString &err = error ? *error : dummy;
    if (m_options.dataDir.isEmpty()) {
        err = tr("No data directory configured");
        return false;
    }
    m_options.dataDir = QDir(m_options.dataDir).absolutePath();
    if (!QDir().mkpath(m_options.dataDir)) {
        err = tr("Cannot create the data directory %1").arg(m_options.dataDir);
        return false;
    }
    // flock, unlike a PID file, is released by the kernel when the process dies, even by kill -9.
    int e = 0;
    m_lockFd = FileIo::openFile(m_options.dataDir + QStringLiteral("/LOCK"), O_RDWR | O_CREAT, &e);
    if (m_lockFd < 0 || ::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0) {
        err = tr("The data directory %1 is in use by another process").arg(m_options.dataDir);
        FileIo::closeFile(m_lockFd);
        m_lockFd = -1;
        return false;
    }

    bool ok = false;
    const QJsonObject storeInfo =
        QJsonDocument::fromJson(FileIo::readWholeFile(m_options.dataDir + QStringLiteral("/store.json"), &ok)).object();
    m_nextLedgerId = std::max<qint64>(1, storeInfo.value(QStringLiteral("nextLedgerId")).toInteger(1));
    m_metadata =
        QJsonDocument::fromJson(FileIo::readWholeFile(m_options.dataDir + QStringLiteral("/metadata.json"), &ok))
            .object();

    auto engine = std::make_unique<Detail::Engine>(m_options);
    QVector<Detail::RecoveredTopic> recovered;
    m_openStats = OpenStats();
    if (!Detail::recoverTopics(m_options.dataDir, m_options, engine->catalog, engine->writer, &recovered, &m_openStats,
                               &err)) {
        FileIo::closeFile(m_lockFd);
        m_lockFd = -1;
        return false;
    }
    for (const Detail::RecoveredTopic &r : std::as_const(recovered)) {
        auto t = std::make_shared<Topic>();
        t->name = r.name;
        t->ledgerId = r.ledgerId;
        t->createdAtMs = r.createdAtMs;
        t->nextEntryId = r.nextEntryId;
        t->lastCommitted = r.nextEntryId - 1;
        const QJsonObject cursors =
            QJsonDocument::fromJson(FileIo::readWholeFile(topicDir(r.ledgerId) + QStringLiteral("/cursors.json"), &ok))
                .object()
                .value(QStringLiteral("cursors"))
                .toObject();
        for (auto it = cursors.constBegin(); it != cursors.constEnd(); ++it)
            t->cursors.insert(it.key(), cursorFromJson(it.value().toObject()));
        m_topics.insert(t->name, t);
        m_topicsByLedger.insert(t->ledgerId, t);
        m_nextLedgerId = std::max(m_nextLedgerId, r.ledgerId + 1);
    }

    // The writer and background threads report back through queued calls on this object's thread.
    engine->writer.onCommit = [this](Detail::CommitReport report) {
        QMetaObject::invokeMethod(
            this, [this, report = std::move(report)] { applyCommit(report); }, Qt::QueuedConnection);
    };
    engine->writer.onFailure = [this](Detail::FailureReport report) {
        QMetaObject::invokeMethod(
            this, [this, report = std::move(report)] { applyFailure(report); }, Qt::QueuedConnection);
    };
    engine->writer.start();
    engine->background.start();
    m_engine = std::move(engine);
    if (m_options.autoTrim)
        m_retentionTimer->start();
    return true;
}

void MessageStore::close()
{
    if (!m_engine)
        return;
    m_cursorTimer->stop();
    m_retentionTimer->stop();
    flushCursors();
    m_engine->writer.stop();
    m_engine->writer.wait();
    m_engine->background.stop();
    m_engine->background.wait();
    // Deliver the last committed()/appendFailed()/readCompleted() before the caller moves on.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    m_engine.reset();
    m_topics.clear();
    m_topicsByLedger.clear();
    m_cacheOrder.clear();
    m_cacheBytes = 0;
    m_pendingBytes = 0;
    FileIo::closeFile(m_lockFd);
    m_lockFd = -1;
}

MessageStore::Topic *MessageStore::findTopic(const QString &name) const
{
    auto it = m_topics.constFind(name);
    return it == m_topics.cend() ? nullptr : it->get();
}

qint64 MessageStore::createTopic(const QString &name)
{
    if (!m_engine || name.isEmpty())
        return -1;
    if (Topic *t = findTopic(name))
        return t->ledgerId;
    auto t = std::make_shared<Topic>();
    t->name = name;
    t->ledgerId = m_nextLedgerId++;
    t->createdAtMs = QDateTime::currentMSecsSinceEpoch();
    {
        QMutexLocker lock(&m_engine->catalog.mutex);
        Detail::CatalogTopic ct;
        ct.dir = topicDir(t->ledgerId);
        m_engine->catalog.topics.insert(t->ledgerId, ct);
    }
    Detail::Task task;
    task.kind = Detail::Task::CreateTopic;
    task.ledgerId = t->ledgerId;
    task.name = name;
    task.createdAtMs = t->createdAtMs;
    task.value = m_nextLedgerId;
    m_engine->writer.enqueue(std::move(task));
    m_topics.insert(name, t);
    m_topicsByLedger.insert(t->ledgerId, t);
    return t->ledgerId;
}

bool MessageStore::hasTopic(const QString &name) const
{
    return findTopic(name) != nullptr;
}

QStringList MessageStore::topicNames() const
{
    QStringList names = m_topics.keys();
    names.sort();
    return names;
}

qint64 MessageStore::ledgerId(const QString &name) const
{
    const Topic *t = findTopic(name);
    return t ? t->ledgerId : -1;
}

bool MessageStore::deleteTopic(const QString &name)
{
    auto it = m_topics.find(name);
    if (!m_engine || it == m_topics.end())
        return false;
    std::shared_ptr<Topic> t = *it;
    m_topics.erase(it);
    m_topicsByLedger.remove(t->ledgerId);
    m_cacheBytes -= t->cacheBytes;
    {
        QMutexLocker lock(&m_engine->catalog.mutex);
        m_engine->catalog.topics.remove(t->ledgerId);
    }
    Detail::Task task;
    task.kind = Detail::Task::DeleteTopic;
    task.ledgerId = t->ledgerId;
    m_engine->writer.enqueue(std::move(task));
    return true;
}

TopicStats MessageStore::topicStats(const QString &name) const
{
    TopicStats stats;
    const Topic *t = findTopic(name);
    if (!t || !m_engine)
        return stats;
    stats.ledgerId = t->ledgerId;
    stats.createdAtMs = t->createdAtMs;
    stats.lastCommittedEntryId = t->lastCommitted;
    stats.firstEntryId = t->lastCommitted + 1;
    {
        QMutexLocker lock(&m_engine->catalog.mutex);
        const auto ct = m_engine->catalog.topics.constFind(t->ledgerId);
        if (ct != m_engine->catalog.topics.cend()) {
            bool first = true;
            for (const Detail::CatalogSegment &s : ct->segments) {
                if (s.entries == 0)
                    continue;
                if (first)
                    stats.firstEntryId = s.firstEntryId;
                first = false;
                const qint64 size = s.endOffset - SegmentFormat::HeaderSize;
                stats.segments.append({s.firstEntryId, s.entries, size, s.sealed});
                stats.sizeBytes += size;
            }
        }
    }
    stats.entries = std::max<qint64>(0, stats.lastCommittedEntryId - stats.firstEntryId + 1);
    return stats;
}

qint64 MessageStore::append(const QString &topic, const QByteArray &entry, quint64 ticket, QString *reason)
{
    return appendTo(findTopic(topic), topic, entry, ticket, reason);
}

qint64 MessageStore::appendToLedger(qint64 ledgerId, const QByteArray &entry, quint64 ticket, QString *reason)
{
    const auto it = m_topicsByLedger.constFind(ledgerId);
    Topic *t = it == m_topicsByLedger.cend() ? nullptr : it->get();
    return appendTo(t, t ? t->name : QString::number(ledgerId), entry, ticket, reason);
}

qint64 MessageStore::appendTo(Topic *t, const QString &topic, const QByteArray &entry, quint64 ticket, QString *reason)
{
    QString refusal;
    const qint64 size = SegmentFormat::recordSize(entry.size());
    if (!m_engine)
        refusal = tr("The message store is not open");
    else if (!t)
        refusal = tr("Topic %1 does not exist in the store").arg(topic);
    else if (entry.size() > SegmentFormat::MaxEntryBytes)
        refusal = tr("Message of %1 bytes is larger than the store's limit of %2 bytes")
                      .arg(entry.size())
                      .arg(SegmentFormat::MaxEntryBytes);
    else if (m_pendingBytes > 0 && m_pendingBytes + size > m_options.maxPendingBytes)
        refusal = tr("The store's write queue is full (%1 bytes pending)").arg(m_pendingBytes);
    if (!refusal.isEmpty()) {
        if (reason)
            *reason = refusal;
        return -1;
    }
    const qint64 id = t->nextEntryId++;
    m_pendingBytes += size;
    cacheInsert(*t, id, entry);
    Detail::Task task;
    task.kind = Detail::Task::Append;
    task.ledgerId = t->ledgerId;
    task.entryId = id;
    task.epoch = t->epoch;
    task.ticket = ticket;
    task.data = entry;
    m_engine->writer.enqueue(std::move(task));
    return id;
}

qint64 MessageStore::lastCommittedEntryId(const QString &topic) const
{
    const Topic *t = findTopic(topic);
    return t ? t->lastCommitted : -1;
}

void MessageStore::cacheInsert(Topic &topic, qint64 entryId, const QByteArray &data)
{
    if (m_options.readCacheBytes <= 0)
        return;
    const qint64 cost = data.size() + CacheEntryOverhead;
    topic.cache.push_back(StoredEntry{entryId, data});
    topic.cacheBytes += cost;
    m_cacheBytes += cost;
    m_cacheOrder.push_back(topic.ledgerId);
    cacheEvict();
}

void MessageStore::cacheEvict()
{
    while (m_cacheBytes > m_options.readCacheBytes && !m_cacheOrder.empty()) {
        const qint64 ledger = m_cacheOrder.front();
        m_cacheOrder.pop_front();
        auto it = m_topicsByLedger.find(ledger);
        if (it == m_topicsByLedger.end() || (*it)->cache.empty())
            continue;
        Topic &t = **it;
        const qint64 cost = t.cache.front().data.size() + CacheEntryOverhead;
        t.cache.pop_front();
        t.cacheBytes -= cost;
        m_cacheBytes -= cost;
    }
}

QVector<StoredEntry> MessageStore::readCached(const QString &topic, qint64 fromEntryId, int maxCount,
                                              qint64 maxBytes) const
{
    QVector<StoredEntry> out;
    const Topic *t = findTopic(topic);
    if (!t || t->cache.empty() || maxCount <= 0)
        return out;
    const qint64 front = t->cache.front().entryId;
    if (fromEntryId < front || fromEntryId > t->lastCommitted)
        return out;
    qint64 bytes = 0;
    for (auto i = static_cast<std::size_t>(fromEntryId - front); i < t->cache.size(); ++i) {
        const StoredEntry &e = t->cache[i];
        if (e.entryId > t->lastCommitted || out.size() >= maxCount)
            break;
        if (!out.isEmpty() && bytes + e.data.size() > maxBytes)
            break;
        out.append(e);
        bytes += e.data.size();
    }
    return out;
}

void MessageStore::readAsync(const QString &topic, qint64 fromEntryId, int maxCount, qint64 maxBytes, quint64 token)
{
    const Topic *t = findTopic(topic);
    if (!m_engine || !t) {
        QMetaObject::invokeMethod(
            this, [this, token, topic] { Q_EMIT readCompleted(token, topic, {}); }, Qt::QueuedConnection);
        return;
    }
    const qint64 ledger = t->ledgerId;
    // The writer may be a group ahead of what this thread has acknowledged; never hand out more than that.
    const qint64 upTo = t->lastCommitted;
    const Detail::Catalog *catalog = &m_engine->catalog;
    m_engine->background.post([this, catalog, ledger, topic, fromEntryId, maxCount, maxBytes, token, upTo] {
        QVector<StoredEntry> entries;
        if (fromEntryId <= upTo)
            entries = Detail::readEntries(*catalog, ledger, fromEntryId, maxCount, maxBytes);
        while (!entries.isEmpty() && entries.last().entryId > upTo)
            entries.removeLast();
        QMetaObject::invokeMethod(
            this, [this, token, topic, entries] { Q_EMIT readCompleted(token, topic, entries); }, Qt::QueuedConnection);
    });
}

void MessageStore::applyCommit(const Detail::CommitReport &report)
{
    m_pendingBytes -= report.bytes;
    for (const auto &p : report.lastCommitted) {
        auto it = m_topicsByLedger.find(p.first);
        if (it != m_topicsByLedger.end())
            (*it)->lastCommitted = std::max((*it)->lastCommitted, p.second);
    }
    Q_EMIT committed(report.tickets);
    if (report.sealedSegment && m_options.autoTrim && m_engine)
        trimAll();
}

void MessageStore::applyFailure(const Detail::FailureReport &report)
{
    m_pendingBytes -= report.bytes;
    for (const auto &rw : report.rewinds) {
        auto it = m_topicsByLedger.find(rw.ledgerId);
        if (it == m_topicsByLedger.end() || (*it)->epoch != rw.epoch)
            continue;
        // Ids stay dense: the failed id is handed out again, and nothing written under it before ever
        // becomes visible (the writer sealed or discarded that file at its committed end).
        Topic &t = **it;
        ++t.epoch;
        t.nextEntryId = rw.entryId;
        while (!t.cache.empty() && t.cache.back().entryId >= rw.entryId) {
            const qint64 cost = t.cache.back().data.size() + CacheEntryOverhead;
            t.cache.pop_back();
            t.cacheBytes -= cost;
            m_cacheBytes -= cost;
        }
    }
    for (const auto &p : report.byReason)
        Q_EMIT appendFailed(p.second, p.first);
}

void MessageStore::saveCursor(const QString &topic, const QString &subscription, const CursorState &state)
{
    Topic *t = findTopic(topic);
    if (!t)
        return;
    t->cursors.insert(subscription, state);
    t->cursorsDirty = true;
    if (!m_cursorTimer->isActive())
        m_cursorTimer->start();
}

QHash<QString, CursorState> MessageStore::cursors(const QString &topic) const
{
    const Topic *t = findTopic(topic);
    return t ? t->cursors : QHash<QString, CursorState>();
}

void MessageStore::deleteCursor(const QString &topic, const QString &subscription)
{
    Topic *t = findTopic(topic);
    if (!t || !t->cursors.remove(subscription))
        return;
    t->cursorsDirty = true;
    if (!m_cursorTimer->isActive())
        m_cursorTimer->start();
}

void MessageStore::flushCursors()
{
    if (!m_engine)
        return;
    bool any = false;
    for (auto &t : m_topics) {
        if (!t->cursorsDirty)
            continue;
        QJsonObject all;
        for (auto it = t->cursors.cbegin(); it != t->cursors.cend(); ++it)
            all.insert(it.key(), cursorToJson(it.value()));
        QJsonObject doc;
        doc.insert(QStringLiteral("version"), 1);
        doc.insert(QStringLiteral("cursors"), all);
        m_engine->background.writeFile(topicDir(t->ledgerId) + QStringLiteral("/cursors.json"),
                                       QJsonDocument(doc).toJson(QJsonDocument::Compact));
        t->cursorsDirty = false;
        any = true;
    }
    if (any && m_options.autoTrim)
        trimAll();
}

void MessageStore::saveMetadata(const QJsonObject &metadata)
{
    m_metadata = metadata;
    if (m_engine)
        m_engine->background.writeFile(m_options.dataDir + QStringLiteral("/metadata.json"),
                                       QJsonDocument(metadata).toJson());
}

void MessageStore::trimAll()
{
    const QStringList names = m_topics.keys();
    for (const QString &name : names)
        trim(name);
}

int MessageStore::trim(const QString &topic, qint64 pinnedEntryId)
{
    Topic *t = findTopic(topic);
    if (!t || !m_engine)
        return 0;
    // Without durable cursors everything committed counts as consumed, as in Pulsar, where a topic with no
    // subscription keeps only what retention keeps.
    qint64 keepFrom = t->lastCommitted + 1;
    for (const CursorState &c : std::as_const(t->cursors))
        keepFrom = std::min(keepFrom, c.markDeleteEntryId + 1);
    if (pinnedEntryId >= 0)
        keepFrom = std::min(keepFrom, pinnedEntryId);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Detail::Task task;
    task.kind = Detail::Task::DeleteSegments;
    task.ledgerId = t->ledgerId;
    {
        QMutexLocker lock(&m_engine->catalog.mutex);
        auto ct = m_engine->catalog.topics.find(t->ledgerId);
        if (ct == m_engine->catalog.topics.end())
            return 0;
        auto &segs = ct->segments;
        qint64 total = 0;
        for (const auto &s : segs)
            total += s.endOffset - SegmentFormat::HeaderSize;
        int n = 0;
        // Oldest first and never the active (last) segment, so the survivors stay a contiguous suffix.
        for (; n < segs.size() - 1; ++n) {
            const Detail::CatalogSegment &s = segs[n];
            if (!s.sealed || s.firstEntryId + s.entries > keepFrom)
                break;
            const bool expired = m_options.retentionTimeMs >= 0 && now - s.lastWriteMs > m_options.retentionTimeMs;
            const bool overQuota = m_options.retentionSizeBytes >= 0 && total > m_options.retentionSizeBytes;
            if (!expired && !overQuota)
                break;
            total -= s.endOffset - SegmentFormat::HeaderSize;
            task.segments.append(s.firstEntryId);
            task.value = s.firstEntryId + s.entries;
        }
        segs.remove(0, n);
    }
    const int count = task.segments.size();
    if (count > 0)
        m_engine->writer.enqueue(std::move(task));
    return count;
}

} // namespace Proxy
