#include "subscription.h"

#include "topic.h"

#include "proxy/coarseclock.h"

#include <algorithm>

namespace Proxy {

// Read for every delivery and every ack.
static qint64 nowMs()
{
    return coarseWallClockMs();
}

// ---- Consumer ------------------------------------------------------------------------------------------

Consumer::Consumer(Subscription *subscription, DeliverySink *sink, const SubscribeSpec &spec, quint64 id)
    : m_subscription(subscription)
    , m_sink(sink)
    , m_spec(spec)
    , m_id(id)
    , m_connectedSinceMs(nowMs())
{}

void Consumer::addPermits(int permits)
{
    if (permits <= 0)
        return;
    m_permits += permits;
    m_subscription->dispatch();
}

void Consumer::ack(const Pulsar::MessageId &id)
{
    m_subscription->acknowledge(this, id.entryId);
}

void Consumer::negativeAck(const Pulsar::MessageId &id)
{
    m_subscription->negativeAcknowledge(this, id.entryId);
}

int Consumer::partitionIndex() const
{
    return m_subscription->topic()->partitionIndex();
}

bool Consumer::hasReachedEndOfTopic() const
{
    return m_subscription->reachedEndOfTopic();
}

bool Consumer::unsubscribe(QString *error)
{
    Subscription *subscription = m_subscription;
    if (subscription->consumers().size() > 1) {
        if (error)
            *error = QStringLiteral("Subscription has active connected consumers");
        return false;
    }
    subscription->topic()->removeSubscription(subscription);
    return true;
}

void Consumer::close()
{
    m_subscription->detach(this);
}

// ---- Subscription --------------------------------------------------------------------------------------

Subscription::Subscription(Topic *topic, const QString &name, SubscriptionKind kind, bool durable,
                           qint64 startAfterEntry, QObject *parent)
    : QObject(parent)
    , m_topic(topic)
    , m_name(name)
    , m_kind(kind)
    , m_durable(durable)
    , m_markDelete(startAfterEntry)
    , m_readPosition(startAfterEntry + 1)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Subscription::onTimer);
}

Subscription::~Subscription()
{
    // Sessions still holding consumers learn that the broker closed them.
    auto consumers = std::move(m_consumers);
    for (auto &consumer : consumers)
        consumer->m_sink->detached(consumer.get());
}

Consumer *Subscription::activeConsumer() const
{
    if (m_consumers.empty())
        return nullptr;
    if (m_kind == SubscriptionKind::Exclusive)
        return m_consumers.front().get();
    if (m_kind == SubscriptionKind::Failover) {
        // Pulsar picks the active consumer by priority level, then by name; the order is stable so the standby
        // knows it takes over only when the active one leaves.
        Consumer *best = nullptr;
        for (const auto &c : m_consumers) {
            if (!best || c->priorityLevel() < best->priorityLevel() ||
                (c->priorityLevel() == best->priorityLevel() && c->name() < best->name()))
                best = c.get();
        }
        return best;
    }
    return nullptr;
}

static QString kindName(SubscriptionKind kind)
{
    switch (kind) {
    case SubscriptionKind::Exclusive:
        return QStringLiteral("Exclusive");
    case SubscriptionKind::Shared:
        return QStringLiteral("Shared");
    case SubscriptionKind::Failover:
        return QStringLiteral("Failover");
    case SubscriptionKind::KeyShared:
        return QStringLiteral("Key_Shared");
    }
    return QString();
}

Consumer *Subscription::attach(DeliverySink *sink, const SubscribeSpec &spec, BrokerError *error)
{
    if (!m_consumers.empty()) {
        if (spec.kind != m_kind) {
            error->failure = Pulsar::HandshakeFailure::Conflict;
            error->detail = QStringLiteral("Subscription is of different type. Active subscription type of '") +
                            kindName(m_kind) + QStringLiteral("' is different than the connecting consumer's type '") +
                            kindName(spec.kind) + QStringLiteral("'.");
            return nullptr;
        }
        if (m_kind == SubscriptionKind::Exclusive) {
            error->failure = Pulsar::HandshakeFailure::Conflict;
            error->detail = QStringLiteral("Exclusive consumer is already connected");
            return nullptr;
        }
    }
    m_kind = spec.kind;
    m_consumers.push_back(std::make_unique<Consumer>(this, sink, spec, ++m_nextConsumerId));
    Consumer *consumer = m_consumers.back().get();
    // A consumer with a lower priority level comes first in Shared dispatch, as in Pulsar.
    std::stable_sort(m_consumers.begin(), m_consumers.end(),
                     [](const auto &a, const auto &b) { return a->priorityLevel() < b->priorityLevel(); });
    return consumer;
}

void Subscription::detach(Consumer *consumer)
{
    const auto it =
        std::find_if(m_consumers.begin(), m_consumers.end(), [consumer](const auto &c) { return c.get() == consumer; });
    if (it == m_consumers.end())
        return;
    std::unique_ptr<Consumer> owned = std::move(*it);
    m_consumers.erase(it);
    // Its unacknowledged messages go to the others (or wait for the next consumer).
    releaseConsumerEntries(owned.get());
    if (m_consumers.empty() && !m_durable) {
        m_topic->removeSubscription(this); // deletes this
        return;
    }
    dispatch();
}

int Subscription::unackedTotal() const
{
    size_t total = 0;
    for (const auto &c : m_consumers)
        total += c->m_unacked.size();
    return int(total);
}

bool Subscription::isHeldByConsumer(qint64 entryId) const
{
    return std::any_of(m_consumers.begin(), m_consumers.end(),
                       [entryId](const auto &c) { return c->m_unacked.count(entryId) != 0; });
}

void Subscription::releaseConsumerEntries(Consumer *consumer)
{
    for (const auto &entry : consumer->m_unacked) {
        if (entry.first > m_markDelete && !m_ackedAbove.contains(entry.first))
            m_redeliver.insert(entry.first);
    }
    consumer->m_unacked.clear();
}

void Subscription::restoreCursor(const CursorSnapshot &cursor)
{
    m_markDelete = cursor.markDeleteEntryId;
    m_ackedAbove.clear();
    for (const auto &range : cursor.ackedRanges)
        m_ackedAbove.insertRange(std::max(range.first, m_markDelete + 1), range.second);
    m_readPosition = m_ackedAbove.firstGapFrom(m_markDelete + 1);
}

Subscription::CursorSnapshot Subscription::cursor() const
{
    CursorSnapshot snapshot;
    snapshot.markDeleteEntryId = m_markDelete;
    snapshot.ackedRanges = m_ackedAbove.ranges();
    return snapshot;
}

qint64 Subscription::backlog() const
{
    const qint64 last = m_topic->lastEntryId();
    if (last <= m_markDelete)
        return 0;
    return last - m_markDelete - m_ackedAbove.count();
}

void Subscription::markAcked(qint64 entryId, bool notify)
{
    if (entryId <= m_markDelete)
        return;
    m_ackedAbove.insert(entryId);
    m_markDelete = m_ackedAbove.takeLeadingRangeFrom(m_markDelete + 1);
    m_redeliver.erase(entryId);
    m_redeliveryCount.remove(entryId);
    m_lastAckedMs = nowMs();
    if (m_durable && notify)
        Q_EMIT cursorChanged();
}

void Subscription::acknowledge(Consumer *consumer, qint64 entryId)
{
    if (consumer->m_spec.isReader)
        return;
    if (!consumer->takeUnacked(entryId)) {
        // An ack for an entry this consumer never got (another connection's id, a stale id) still acks it, as the
        // id alone identifies the entry; whichever consumer got it no longer holds it.
        for (const auto &other : m_consumers)
            other->takeUnacked(entryId);
    }
    if (entryId > m_topic->lastEntryId())
        return;
    markAcked(entryId);
}

void Subscription::negativeAcknowledge(Consumer *consumer, qint64 entryId)
{
    if (consumer->m_spec.isReader)
        return;
    if (!consumer->takeUnacked(entryId))
        return;
    scheduleRedelivery(entryId, nowMs() + consumer->m_spec.negativeAckDelayMs, consumer->m_spec);
}

void Subscription::scheduleRedelivery(qint64 entryId, qint64 dueMs, const SubscribeSpec &spec)
{
    if (dueMs <= nowMs()) {
        redeliverOrDeadLetter(entryId, spec);
        return;
    }
    // The spec travels with the entry only through its DLQ settings, which the consumer that nacked defines.
    m_timed.emplace(dueMs, entryId);
    m_deadLetterSpec.insert(entryId, {spec.maxRedeliverCount, spec.deadLetterTopic});
    armTimer();
}

void Subscription::redeliverOrDeadLetter(qint64 entryId, const SubscribeSpec &spec)
{
    if (entryId <= m_markDelete || m_ackedAbove.contains(entryId))
        return;
    const int count = m_redeliveryCount.value(entryId, 0);
    if (spec.maxRedeliverCount > 0 && count >= spec.maxRedeliverCount && !spec.deadLetterTopic.isEmpty()) {
        // Delivered maxRedeliverCount + 1 times already: move it to the dead-letter topic and acknowledge it.
        if (m_topic->sendToDeadLetter(spec.deadLetterTopic, entryId)) {
            markAcked(entryId);
            return;
        }
    }
    m_redeliveryCount.insert(entryId, count + 1);
    m_redeliver.insert(entryId);
    dispatch();
}

void Subscription::armTimer()
{
    if (m_timed.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, m_timed.begin()->first - nowMs());
    m_timer.start(int(std::min<qint64>(wait, 24 * 3600 * 1000)));
}

void Subscription::onTimer()
{
    const qint64 now = nowMs();
    while (!m_timed.empty() && m_timed.begin()->first <= now) {
        const qint64 entryId = m_timed.begin()->second;
        m_timed.erase(m_timed.begin());
        if (m_delayed.erase(entryId)) {
            // A delayed message came due: it joins the front of the queue.
            m_redeliver.insert(entryId);
            continue;
        }
        const DeadLetterSpec dls = m_deadLetterSpec.take(entryId);
        SubscribeSpec spec;
        spec.maxRedeliverCount = dls.maxRedeliverCount;
        spec.deadLetterTopic = dls.topic;
        redeliverOrDeadLetter(entryId, spec);
    }
    // Ack timeouts: every consumer's entries older than its timeout go back for redelivery.
    for (const auto &consumer : m_consumers) {
        const qint64 timeout = consumer->m_spec.ackTimeoutMs;
        if (timeout <= 0)
            continue;
        std::vector<qint64> expired;
        for (const auto &entry : consumer->m_unacked) {
            if (entry.second + timeout <= now)
                expired.push_back(entry.first);
        }
        for (qint64 e : expired) {
            consumer->m_unacked.erase(e);
            redeliverOrDeadLetter(e, consumer->m_spec);
        }
    }
    armTimer();
    armAckTimeoutTimer();
    dispatch();
}

void Subscription::armAckTimeoutTimer()
{
    qint64 earliest = -1;
    for (const auto &consumer : m_consumers) {
        if (consumer->m_spec.ackTimeoutMs <= 0)
            continue;
        for (const auto &entry : consumer->m_unacked) {
            const qint64 due = entry.second + consumer->m_spec.ackTimeoutMs;
            if (earliest < 0 || due < earliest)
                earliest = due;
        }
    }
    if (earliest < 0)
        return;
    if (!m_timer.isActive() || m_timer.remainingTime() > earliest - nowMs())
        m_timer.start(int(std::max<qint64>(0, earliest - nowMs())));
}

bool Subscription::reachedEndOfTopic() const
{
    return m_topic->isTerminated() && m_readPosition > m_topic->lastEntryId() && m_redeliver.empty() &&
           m_delayed.empty();
}

void Subscription::skip(qint64 count)
{
    qint64 skipped = 0;
    qint64 e = m_markDelete + 1;
    const qint64 last = m_topic->lastEntryId();
    while (skipped < count && e <= last) {
        if (!m_ackedAbove.contains(e)) {
            markAcked(e, false);
            ++skipped;
        }
        ++e;
    }
    m_readPosition = std::max(m_readPosition, m_markDelete + 1);
    if (m_durable && skipped > 0)
        Q_EMIT cursorChanged();
}

void Subscription::skipAll()
{
    const qint64 last = m_topic->lastEntryId();
    m_ackedAbove.clear();
    m_markDelete = std::max(m_markDelete, last);
    m_readPosition = std::max(m_readPosition, m_markDelete + 1);
    m_redeliver.clear();
    m_redeliveryCount.clear();
    if (m_durable)
        Q_EMIT cursorChanged();
}

void Subscription::resetTo(qint64 entryId)
{
    m_ackedAbove.clear();
    m_markDelete = entryId - 1;
    m_readPosition = entryId;
    m_redeliver.clear();
    m_redeliveryCount.clear();
    for (const auto &consumer : m_consumers)
        consumer->m_unacked.clear();
    if (m_durable)
        Q_EMIT cursorChanged();
    dispatch();
}

void Subscription::onEntriesAvailable()
{
    dispatch();
}

Consumer *Subscription::pickConsumer(const BrokerMessage &message)
{
    switch (m_kind) {
    case SubscriptionKind::Exclusive:
    case SubscriptionKind::Failover: {
        Consumer *active = activeConsumer();
        return active && active->m_permits > 0 ? active : nullptr;
    }
    case SubscriptionKind::Shared: {
        // Round robin among the consumers of the best priority level that still have permits.
        int bestLevel = -1;
        for (const auto &c : m_consumers) {
            if (c->m_permits > 0 && (bestLevel < 0 || c->priorityLevel() < bestLevel))
                bestLevel = c->priorityLevel();
        }
        if (bestLevel < 0)
            return nullptr;
        for (size_t i = 0; i < m_consumers.size(); ++i) {
            Consumer *c = m_consumers[(m_roundRobin + i) % m_consumers.size()].get();
            if (c->m_permits > 0 && c->priorityLevel() == bestLevel) {
                m_roundRobin = (m_roundRobin + i + 1) % m_consumers.size();
                return c;
            }
        }
        return nullptr;
    }
    case SubscriptionKind::KeyShared: {
        if (m_consumers.empty())
            return nullptr;
        // A key maps to one consumer while the set of consumers is unchanged (hash of the key over the
        // consumers ordered by id), so one key's messages stay in order on one consumer.
        const QString key = message.key.value_or(QString());
        const size_t slot = qHash(key, 0) % m_consumers.size();
        std::vector<Consumer *> ordered;
        for (const auto &c : m_consumers)
            ordered.push_back(c.get());
        std::sort(ordered.begin(), ordered.end(), [](Consumer *a, Consumer *b) { return a->id() < b->id(); });
        Consumer *c = ordered[slot];
        return c->m_permits > 0 ? c : nullptr;
    }
    }
    return nullptr;
}

void Subscription::dispatch()
{
    if (m_dispatching || m_consumers.empty() || !m_topic->isPersistent())
        return;
    m_dispatching = true;
    const qint64 now = nowMs();
    while (true) {
        qint64 entryId;
        bool fromRedeliver = false;
        if (!m_redeliver.empty()) {
            entryId = *m_redeliver.begin();
            fromRedeliver = true;
            if (entryId <= m_markDelete || m_ackedAbove.contains(entryId) || isHeldByConsumer(entryId)) {
                m_redeliver.erase(m_redeliver.begin());
                continue;
            }
        } else {
            m_readPosition = m_ackedAbove.firstGapFrom(m_readPosition);
            if (m_readPosition > m_topic->lastEntryId())
                break;
            entryId = m_readPosition;
        }

        bool pending = false;
        const std::shared_ptr<const BrokerMessage> message = m_topic->entry(entryId, this, &pending);
        if (!message) {
            if (pending)
                break; // the topic calls dispatch() again when the read completes
            // An entry that is gone (trimmed or unreadable) cannot be delivered; skip it.
            if (fromRedeliver)
                m_redeliver.erase(entryId);
            else
                ++m_readPosition;
            continue;
        }

        if (isShared() && message->deliverAtMs > now && !fromRedeliver) {
            // Delayed delivery is honoured by Shared and Key_Shared subscriptions only, as in Pulsar.
            m_delayed.insert(entryId);
            m_timed.emplace(message->deliverAtMs, entryId);
            ++m_readPosition;
            armTimer();
            continue;
        }

        Consumer *consumer = pickConsumer(*message);
        if (!consumer)
            break;

        if (fromRedeliver)
            m_redeliver.erase(m_redeliver.begin());
        else
            ++m_readPosition;

        --consumer->m_permits;
        ++consumer->m_delivered;
        m_lastConsumedMs = now;
        Delivery delivery;
        delivery.consumer = consumer;
        delivery.ledgerId = m_topic->ledgerId();
        delivery.entryId = entryId;
        delivery.partition = m_topic->partitionIndex();
        delivery.redeliveryCount = m_redeliveryCount.value(entryId, 0);
        delivery.message = message;
        if (!consumer->m_spec.isReader) {
            consumer->m_unacked.emplace_hint(consumer->m_unacked.end(), entryId, now); // mostly the newest
        }
        m_topic->countDelivery(message->payload.size());
        consumer->m_sink->deliver(delivery);
        if (consumer->m_spec.ackTimeoutMs > 0 && !m_timer.isActive())
            armAckTimeoutTimer();
    }
    m_dispatching = false;
}

void Subscription::dispatchTransient(const Delivery &delivery)
{
    if (m_consumers.empty())
        return;
    Consumer *consumer = pickConsumer(*delivery.message);
    if (!consumer)
        return; // non-persistent topics drop what no consumer can take, as in Pulsar
    --consumer->m_permits;
    ++consumer->m_delivered;
    m_lastConsumedMs = nowMs();
    m_topic->countDelivery(delivery.message->payload.size());
    Delivery copy = delivery;
    copy.consumer = consumer;
    consumer->m_sink->deliver(copy);
}

} // namespace Proxy
