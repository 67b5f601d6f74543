#include "topic.h"

#include "broker.h"
#include "proxy/store/messagestore.h"

#include <QDateTime>

namespace Proxy {

Topic::Topic(Broker *broker, MessageStore *store, const QString &fullName, bool persistent, int partitionIndex,
             qint64 ledgerId, qint64 lastEntryId, qint64 createdAtMs, QObject *parent)
    : QObject(parent)
    , m_broker(broker)
    , m_store(store)
    , m_name(fullName)
    , m_persistent(persistent)
    , m_partitionIndex(partitionIndex)
    , m_ledgerId(ledgerId)
    , m_lastEntryId(lastEntryId)
    , m_createdAtMs(createdAtMs)
{
    // Acks come in bursts: a subscription's cursor is snapshotted once per interval, not once per ack.
    m_cursorTimer.setSingleShot(true);
    m_cursorTimer.setInterval(20);
    connect(&m_cursorTimer, &QTimer::timeout, this, &Topic::flushCursors);
    m_reaper.setSingleShot(true);
    m_reaper.setInterval(0);
    connect(&m_reaper, &QTimer::timeout, this, [this] { m_removed.clear(); });
}

Topic::~Topic()
{
    closeAll();
    m_removed.clear();
}

void Topic::markCursorDirty(Subscription *subscription)
{
    m_dirtyCursors.insert(subscription);
    if (!m_cursorTimer.isActive())
        m_cursorTimer.start();
}

void Topic::flushCursors()
{
    const QSet<Subscription *> dirty = std::exchange(m_dirtyCursors, {});
    for (Subscription *s : dirty)
        persistCursor(s);
}

void Topic::closeAll()
{
    flushCursors();
    m_waitingForRead.clear();
    // Destroying the subscriptions tells each session that its consumer is gone.
    auto subscriptions = std::move(m_subscriptions);
    subscriptions.clear();
}

void Topic::setTerminated(bool terminated)
{
    m_terminated = terminated;
    for (const auto &s : m_subscriptions)
        s.second->onEntriesAvailable();
}

bool Topic::addProducer(const QString &name, const ClientInfo &client, BrokerError *error)
{
    if (m_producers.contains(name)) {
        error->failure = Pulsar::HandshakeFailure::Conflict;
        // BrokerServiceException.NamingException's text, class name included, as Pulsar's client relays it.
        error->detail = QStringLiteral("org.apache.pulsar.broker.service.BrokerServiceException$NamingException: "
                                       "Producer with name '") +
                        name + QStringLiteral("' is already connected to topic '") + m_name + QLatin1Char('\'');
        return false;
    }
    if (m_terminated) {
        error->failure = Pulsar::HandshakeFailure::ServiceUnavailable;
        error->detail = QStringLiteral("org.apache.pulsar.broker.service.BrokerServiceException$"
                                       "TopicTerminatedException: Topic was already terminated");
        return false;
    }
    m_producers.insert(name, ProducerEntry{QDateTime::currentMSecsSinceEpoch(), client});
    return true;
}

void Topic::removeProducer(const QString &name)
{
    m_producers.remove(name);
}

void Topic::publish(std::shared_ptr<BrokerMessage> message, PublishCallback callback, PendingPublish pending)
{
    if (m_terminated) {
        PublishResult result;
        result.error = QStringLiteral("Topic was already terminated");
        callback(result);
        return;
    }
    message->publishTimeMs = QDateTime::currentMSecsSinceEpoch();
    m_counters.msgIn += 1;
    m_counters.bytesIn += quint64(message->payload.size());
    m_counters.lastPublishMs = message->publishTimeMs;

    if (m_persistent) {
        m_broker->appendToStore(this, std::move(message), std::move(callback), std::move(pending));
        return;
    }

    // Non-persistent: every message has id 0:0 and goes only to consumers that can take it now.
    PublishResult result;
    result.ok = true;
    result.partition = m_partitionIndex;
    Delivery delivery;
    delivery.partition = m_partitionIndex;
    delivery.message = std::move(message);
    for (const auto &s : m_subscriptions)
        s.second->dispatchTransient(delivery);
    callback(result);
}

void Topic::onCommitted(qint64 entryId, std::shared_ptr<const BrokerMessage> message)
{
    if (entryId > m_lastEntryId)
        m_lastEntryId = entryId;
    // Kept decoded only for subscriptions that will read it soon; one created later reads from the store (its
    // cache, then disk). Remembering for nobody cost 6% of a publish-only run: each message was evicted, cold,
    // 4096 messages later.
    if (!m_subscriptions.empty())
        remember(entryId, std::move(message));
}

void Topic::remember(qint64 entryId, std::shared_ptr<const BrokerMessage> message)
{
    // Evicted oldest-remembered first, not lowest-id first: a consumer catching up reads a batch below everything
    // recent, and evicting by id would throw its batch away as it arrives (and read it again, forever).
    const qint64 bytes = message->payload.size();
    if (!m_recent.emplace(entryId, std::move(message)).second)
        return;
    m_recentOrder.push_back(entryId);
    m_recentBytes += bytes;
    while (int(m_recent.size()) > kRecentEntries || (m_recentBytes > kRecentBytes && m_recent.size() > 1)) {
        const auto it = m_recent.find(m_recentOrder.front());
        m_recentOrder.pop_front();
        if (it == m_recent.end())
            continue;
        m_recentBytes -= it->second->payload.size();
        m_recent.erase(it);
    }
}

void Topic::notifySubscriptions()
{
    for (const auto &s : m_subscriptions)
        s.second->onEntriesAvailable();
}

Subscription *Topic::subscription(const QString &name) const
{
    const auto it = m_subscriptions.find(name);
    return it == m_subscriptions.end() ? nullptr : it->second.get();
}

Consumer *Topic::subscribe(DeliverySink *sink, const SubscribeSpec &spec, BrokerError *error)
{
    Subscription *s = subscription(spec.subscription);
    if (!s) {
        qint64 startAfter = m_lastEntryId; // Latest
        if (spec.initialPosition == StartPosition::Earliest)
            startAfter = beforeFirstEntry();
        else if (spec.initialPosition == StartPosition::AfterEntry)
            startAfter = spec.startAfterEntry;
        s = adopt(std::make_unique<Subscription>(this, spec.subscription, spec.kind, spec.durable, startAfter), true);
    }
    Consumer *consumer = s->attach(sink, spec, error);
    if (!consumer && s->consumers().empty() && !s->isDurable())
        removeSubscription(s);
    return consumer;
}

Subscription *Topic::createSubscription(const QString &name, bool atEarliest)
{
    if (Subscription *existing = subscription(name))
        return existing;
    const qint64 startAfter = atEarliest ? beforeFirstEntry() : m_lastEntryId;
    return adopt(std::make_unique<Subscription>(this, name, SubscriptionKind::Exclusive, true, startAfter), true);
}

void Topic::restoreSubscription(const QString &name, SubscriptionKind kind, const Subscription::CursorSnapshot &cursor)
{
    auto created = std::make_unique<Subscription>(this, name, kind, true, cursor.markDeleteEntryId);
    created->restoreCursor(cursor);
    adopt(std::move(created), false); // the store already holds this cursor
}

qint64 Topic::beforeFirstEntry() const
{
    return m_persistent ? m_store->topicStats(m_name).firstEntryId - 1 : -1;
}

Subscription *Topic::adopt(std::unique_ptr<Subscription> created, bool persistNow)
{
    Subscription *s = created.get();
    const bool persisted = s->isDurable() && m_persistent;
    if (persisted)
        connect(s, &Subscription::cursorChanged, this, [this, s] { markCursorDirty(s); });
    m_subscriptions.emplace(s->name(), std::move(created));
    if (persisted && persistNow)
        persistCursor(s);
    return s;
}

void Topic::removeSubscription(Subscription *subscription)
{
    const auto it = m_subscriptions.find(subscription->name());
    if (it == m_subscriptions.end() || it->second.get() != subscription)
        return;
    if (subscription->isDurable() && m_persistent)
        m_store->deleteCursor(m_name, subscription->name());
    std::unique_ptr<Subscription> owned = std::move(it->second);
    m_subscriptions.erase(it);
    m_waitingForRead.remove(owned.get());
    m_dirtyCursors.remove(owned.get());
    m_removed.push_back(std::move(owned));
    m_reaper.start();
}

void Topic::persistCursor(Subscription *subscription)
{
    const Subscription::CursorSnapshot snapshot = subscription->cursor();
    CursorState state;
    state.markDeleteEntryId = snapshot.markDeleteEntryId;
    for (const auto &range : snapshot.ackedRanges)
        state.individuallyAcked.append({range.first, range.second});
    state.properties.insert(QStringLiteral("type"), int(subscription->kind()));
    m_store->saveCursor(m_name, subscription->name(), state);
}

std::shared_ptr<const BrokerMessage> Topic::inMemory(qint64 entryId)
{
    const auto it = m_recent.find(entryId);
    if (it != m_recent.end())
        return it->second;
    if (!m_persistent || entryId > m_lastEntryId || entryId == m_unreadableEntry)
        return nullptr;
    // Still in the store's own cache? Then no disk access is needed; the batch after it comes along.
    const QVector<StoredEntry> cached = m_store->readCached(m_name, entryId, 256, 4 * 1024 * 1024);
    if (cached.isEmpty() || cached.first().entryId != entryId)
        return nullptr;
    std::shared_ptr<const BrokerMessage> first;
    for (const StoredEntry &stored : cached) {
        auto decoded = BrokerMessage::decode(stored.data);
        if (!decoded)
            continue;
        auto message = std::make_shared<const BrokerMessage>(std::move(*decoded));
        if (stored.entryId == entryId)
            first = message;
        remember(stored.entryId, std::move(message));
    }
    return first;
}

std::shared_ptr<const BrokerMessage> Topic::entry(qint64 entryId, Subscription *requester, bool *pending)
{
    *pending = false;
    if (auto message = inMemory(entryId))
        return message;
    if (!m_persistent || entryId > m_lastEntryId || entryId == m_unreadableEntry)
        return nullptr;
    m_waitingForRead.insert(requester);
    *pending = true;
    if (!m_readInFlight) {
        m_readInFlight = true;
        m_broker->readFromStore(this, entryId);
    }
    return nullptr;
}

void Topic::onReadCompleted(qint64 fromEntryId, const QVector<StoredEntry> &entries)
{
    m_readInFlight = false;
    bool gotFirst = false;
    for (const StoredEntry &stored : entries) {
        auto decoded = BrokerMessage::decode(stored.data);
        if (!decoded)
            continue;
        if (stored.entryId == fromEntryId)
            gotFirst = true;
        remember(stored.entryId, std::make_shared<const BrokerMessage>(std::move(*decoded)));
    }
    if (!gotFirst)
        m_unreadableEntry = fromEntryId; // skipped by dispatch rather than read again forever
    const QSet<Subscription *> waiting = std::exchange(m_waitingForRead, {});
    for (Subscription *s : waiting)
        s->dispatch();
}

bool Topic::sendToDeadLetter(const QString &deadLetterTopic, qint64 entryId)
{
    const std::shared_ptr<const BrokerMessage> original = inMemory(entryId);
    if (!original)
        return false;
    auto copy = std::make_shared<BrokerMessage>(*original);
    // Pulsar's client marks where a dead letter came from.
    copy->properties.append({QStringLiteral("REAL_TOPIC"), m_name});
    copy->properties.append({QStringLiteral("ORIGIN_MESSAGE_ID"),
                             QStringLiteral("%1:%2:%3").arg(m_ledgerId).arg(entryId).arg(m_partitionIndex)});
    return m_broker->publishInternal(deadLetterTopic, std::move(copy));
}

qint64 Topic::minimumMarkDelete() const
{
    qint64 minimum = m_lastEntryId;
    for (const auto &s : m_subscriptions) {
        if (s.second->isDurable())
            minimum = std::min(minimum, s.second->markDeleteEntryId());
    }
    return minimum;
}

} // namespace Proxy
