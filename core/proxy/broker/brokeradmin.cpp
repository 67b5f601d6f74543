// The broker's admin-only operations (spec 9): reads for peek and examine, expiry, cursor resets and topic
// properties. Kept apart from broker.cpp because the WebSocket data plane never needs them.
#include "broker.h"

#include "proxy/store/messagestore.h"
#include "topic.h"

#include <QDateTime>
#include <QPointer>

#include <algorithm>

namespace Proxy {

namespace {

constexpr qint64 kAdminReadBytes = 4 * 1024 * 1024;
// PersistentSubscription.MINIMUM_BACKLOG_FOR_EXPIRY_CHECK: below this, a connected subscription is left alone.
constexpr qint64 kMinimumBacklogForExpiryCheck = 1000;
const QLatin1String kTopicPropertiesKey("topicProperties");

// A binary search for the newest entry of [lo, hi] published before a cutoff, as ManagedCursor's
// asyncFindNewestMatching does: publish times only grow along a topic, so the entries published before the
// cutoff form a prefix. One entry is read per step, from the cache when it can be.
struct PublishTimeSearch
{
    Broker *broker = nullptr;
    QString topic;
    qint64 lo = 0;
    qint64 hi = -1;
    qint64 found = -1;
    qint64 cutoffMs = 0;
    std::function<void(qint64)> done;
};

void searchStep(const std::shared_ptr<PublishTimeSearch> &search)
{
    if (search->lo > search->hi) {
        search->done(search->found);
        return;
    }
    const qint64 mid = search->lo + (search->hi - search->lo) / 2;
    search->broker->readEntries(search->topic, mid, 1, [search, mid](const QVector<StoredEntry> &entries) {
        // A trimmed or unreadable entry is older than anything still stored.
        bool before = true;
        if (!entries.isEmpty() && entries.first().entryId == mid) {
            if (const auto message = BrokerMessage::decode(entries.first().data))
                before = message->publishTimeMs < search->cutoffMs;
        }
        if (before) {
            search->found = mid;
            search->lo = mid + 1;
        } else {
            search->hi = mid - 1;
        }
        searchStep(search);
    });
}

void findNewestPublishedBefore(Broker *broker, const QString &topic, qint64 lo, qint64 hi, qint64 cutoffMs,
                               std::function<void(qint64)> done)
{
    auto search = std::make_shared<PublishTimeSearch>();
    search->broker = broker;
    search->topic = topic;
    search->lo = lo;
    search->hi = hi;
    search->found = lo - 1;
    search->cutoffMs = cutoffMs;
    search->done = std::move(done);
    searchStep(search);
}

// Acknowledges every entry up to and including `entryId`, through skip() so that the cursor is persisted the way
// every other acknowledgement is.
void acknowledgeThrough(Subscription *subscription, qint64 entryId)
{
    const qint64 markDelete = subscription->markDeleteEntryId();
    if (entryId <= markDelete)
        return;
    qint64 unacked = entryId - markDelete;
    for (const auto &range : subscription->cursor().ackedRanges) {
        const qint64 first = std::max(range.first, markDelete + 1);
        const qint64 last = std::min(range.second, entryId);
        if (last >= first)
            unacked -= last - first + 1;
    }
    if (unacked > 0)
        subscription->skip(unacked);
}

} // namespace

Topic *Broker::adminTopic(const Pulsar::TopicName &name)
{
    if (Topic *t = existingTopic(name.toString()))
        return t;
    if (!name.isPartitioned() || name.partitionIndex() >= partitionCount(name.partitionedTopicName()))
        return nullptr;
    BrokerError ignored;
    return topic(name, true, &ignored);
}

void Broker::readEntries(const QString &topicName, qint64 fromEntryId, int maxCount,
                         const std::function<void(const QVector<StoredEntry> &)> &done)
{
    const QVector<StoredEntry> cached = m_store->readCached(topicName, fromEntryId, maxCount, kAdminReadBytes);
    if (!cached.isEmpty() && cached.first().entryId == fromEntryId) {
        done(cached);
        return;
    }
    // Registered like a topic's own read: onReadCompleted() then hands the entries to the topic with the right
    // first entry (an unregistered token would make the topic think entry 0 is unreadable).
    const quint64 token = ++m_nextTicket;
    m_reads.insert(token, {topicName, fromEntryId});
    // The connection lives as long as this context; other reads' completions are told apart by their token.
    auto *context = new QObject(this);
    connect(m_store, &MessageStore::readCompleted, context,
            [context, token, done](quint64 completed, const QString &, const QVector<StoredEntry> &entries) {
                if (completed != token)
                    return;
                context->deleteLater();
                done(entries);
            });
    m_store->readAsync(topicName, fromEntryId, maxCount, kAdminReadBytes, token);
}

void Broker::expireMessages(Topic *topic, const QString &subscriptionName, qint64 seconds,
                            const std::function<void(bool)> &done)
{
    Subscription *subscription = topic->subscription(subscriptionName);
    if (!subscription || subscription->backlog() == 0) {
        done(false);
        return;
    }
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - seconds * 1000;
    const bool leaveAlone =
        !subscription->consumers().empty() && subscription->backlog() < kMinimumBacklogForExpiryCheck;
    // MessageImpl.isEntryExpired treats a TTL of 0 as "no TTL": the check is issued and expires nothing.
    if (seconds == 0) {
        done(!leaveAlone);
        return;
    }
    QPointer<Subscription> guard(subscription);
    findNewestPublishedBefore(this, topic->name(), subscription->markDeleteEntryId() + 1, topic->lastEntryId(), cutoff,
                              [guard, leaveAlone, done](qint64 newestExpired) {
                                  if (!guard) {
                                      done(true);
                                      return;
                                  }
                                  if (newestExpired <= guard->markDeleteEntryId()) {
                                      done(!leaveAlone);
                                      return;
                                  }
                                  acknowledgeThrough(guard, newestExpired);
                                  done(true);
                              });
}

void Broker::resetCursorToTime(Topic *topic, const QString &subscriptionName, qint64 timestampMs,
                               const std::function<void()> &done)
{
    Subscription *subscription = topic->subscription(subscriptionName);
    if (!subscription) {
        done();
        return;
    }
    const qint64 first = topic->isPersistent() ? m_store->topicStats(topic->name()).firstEntryId : 0;
    QPointer<Subscription> guard(subscription);
    findNewestPublishedBefore(this, topic->name(), first, topic->lastEntryId(), timestampMs,
                              [guard, done](qint64 newestBefore) {
                                  if (guard)
                                      guard->resetTo(newestBefore + 1);
                                  done();
                              });
}

void Broker::resetCursorToPosition(Topic *topic, const QString &subscriptionName, qint64 ledgerId, qint64 entryId)
{
    Subscription *subscription = topic->subscription(subscriptionName);
    if (!subscription)
        return;
    const qint64 first = topic->isPersistent() ? m_store->topicStats(topic->name()).firstEntryId : 0;
    const qint64 end = topic->lastEntryId() + 1;
    qint64 target;
    if (ledgerId < topic->ledgerId())
        target = first;
    else if (ledgerId > topic->ledgerId())
        target = end;
    else
        target = std::clamp(entryId, first, std::max(first, end));
    subscription->resetTo(target);
}

qint64 Broker::nthUnackedEntry(const Topic *topic, const QString &subscriptionName, qint64 n) const
{
    const Subscription *subscription = topic->subscription(subscriptionName);
    if (!subscription || n < 1)
        return -1;
    qint64 candidate = subscription->markDeleteEntryId() + n;
    for (const auto &range : subscription->cursor().ackedRanges) {
        if (range.first > candidate)
            break;
        candidate += range.second - range.first + 1;
    }
    return candidate <= topic->lastEntryId() ? candidate : -1;
}

QMap<QString, QString> Broker::topicProperties(const QString &fullName) const
{
    QMap<QString, QString> properties;
    const QJsonObject stored = m_store->metadata().value(kTopicPropertiesKey).toObject().value(fullName).toObject();
    for (auto it = stored.begin(); it != stored.end(); ++it)
        properties.insert(it.key(), it.value().toString());
    return properties;
}

void Broker::setTopicProperties(const QString &fullName, const QMap<QString, QString> &properties)
{
    QJsonObject metadata = m_store->metadata();
    QJsonObject all = metadata.value(kTopicPropertiesKey).toObject();
    if (properties.isEmpty() && !all.contains(fullName))
        return;
    if (properties.isEmpty()) {
        all.remove(fullName);
    } else {
        QJsonObject object;
        for (auto it = properties.cbegin(); it != properties.cend(); ++it)
            object.insert(it.key(), it.value());
        all.insert(fullName, object);
    }
    metadata.insert(kTopicPropertiesKey, all);
    m_store->saveMetadata(metadata);
}

} // namespace Proxy
