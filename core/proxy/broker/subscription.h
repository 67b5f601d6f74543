#pragma once

#include "ackranges.h"
#include "brokertypes.h"
#include "proxy/backend.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>
#include <set>
#include <vector>

namespace Proxy {

class Subscription;
class Topic;

// One consumer attached to one subscription of one (partition) topic. Owned by its Subscription; the WebSocket
// session holds it through the pointer it got from Topic::subscribe() until it calls close() or is told by
// DeliverySink::detached() that the broker closed it.
class Consumer final : public ConsumerLink
{
public:
    Consumer(Subscription *subscription, DeliverySink *sink, const SubscribeSpec &spec, quint64 id);

    quint64 id() const { return m_id; }
    const QString &name() const { return m_spec.consumerName; }
    int priorityLevel() const { return m_spec.priorityLevel; }
    const SubscribeSpec &spec() const { return m_spec; }
    Subscription *subscription() const { return m_subscription; }
    int permits() const { return m_permits; }
    int unackedCount() const { return int(m_unacked.size()); }
    qint64 connectedSinceMs() const { return m_connectedSinceMs; }
    quint64 deliveredCount() const { return m_delivered; }

    // Credits for deliveries, like the binary protocol's flow command.
    void addPermits(int permits) override;
    void ack(const Pulsar::MessageId &id) override;
    void negativeAck(const Pulsar::MessageId &id) override;
    bool hasReachedEndOfTopic() const override;
    // Unsubscribes when this is the only consumer; returns false (and changes nothing) otherwise.
    bool unsubscribe(QString *error) override;
    void close() override;
    int partitionIndex() const override;

private:
    friend class Subscription;
    // Forgets a delivered entry; false when this consumer does not hold it.
    bool takeUnacked(qint64 entryId)
    {
        if (!m_unacked.empty() && m_unacked.begin()->first == entryId) { // acks come mostly oldest first
            m_unacked.erase(m_unacked.begin());
            return true;
        }
        return m_unacked.erase(entryId) != 0;
    }

    Subscription *m_subscription;
    DeliverySink *m_sink;
    SubscribeSpec m_spec;
    quint64 m_id;
    int m_permits = 0;
    qint64 m_connectedSinceMs = 0;
    quint64 m_delivered = 0;
    std::map<qint64, qint64> m_unacked; // entry -> delivery time (ms), for the ack timeout
};

// A subscription: a cursor over a topic plus the consumers attached to it, and the dispatcher that hands
// entries to them according to the subscription type.
class Subscription final : public QObject
{
    Q_OBJECT

public:
    struct CursorSnapshot
    {
        qint64 markDeleteEntryId = -1;
        std::vector<std::pair<qint64, qint64>> ackedRanges; // closed ranges above markDelete
    };

    Subscription(Topic *topic, const QString &name, SubscriptionKind kind, bool durable, qint64 startAfterEntry,
                 QObject *parent = nullptr);
    ~Subscription() override;

    const QString &name() const { return m_name; }
    SubscriptionKind kind() const { return m_kind; }
    bool isDurable() const { return m_durable; }
    Topic *topic() const { return m_topic; }
    const std::vector<std::unique_ptr<Consumer>> &consumers() const { return m_consumers; }
    Consumer *activeConsumer() const; // Exclusive/Failover: the one that receives

    // Checks type compatibility and exclusivity; returns the consumer or the refusal.
    Consumer *attach(DeliverySink *sink, const SubscribeSpec &spec, BrokerError *error);
    void detach(Consumer *consumer);

    void restoreCursor(const CursorSnapshot &cursor);
    CursorSnapshot cursor() const;
    qint64 markDeleteEntryId() const { return m_markDelete; }
    qint64 readPosition() const { return m_readPosition; }
    qint64 backlog() const;   // entries not yet acknowledged
    int unackedTotal() const; // delivered to a consumer, not yet acked
    qint64 delayedCount() const { return qint64(m_delayed.size()); }
    qint64 lastConsumedTimestampMs() const { return m_lastConsumedMs; }
    qint64 lastAckedTimestampMs() const { return m_lastAckedMs; }

    // Admin operations.
    void skip(qint64 count);
    void skipAll();
    void resetTo(qint64 entryId); // next delivery is entryId
    bool reachedEndOfTopic() const;

    // Called by the topic when entries were committed or the topic was terminated.
    void onEntriesAvailable();
    // Non-persistent topics: deliver now or drop.
    void dispatchTransient(const Delivery &delivery);
    // The topic delivers asynchronously read entries back.
    void dispatch();

Q_SIGNALS:
    void cursorChanged();

private:
    friend class Consumer;
    void acknowledge(Consumer *consumer, qint64 entryId);
    void negativeAcknowledge(Consumer *consumer, qint64 entryId);
    void scheduleRedelivery(qint64 entryId, qint64 dueMs, const SubscribeSpec &spec);
    void redeliverOrDeadLetter(qint64 entryId, const SubscribeSpec &spec);
    void markAcked(qint64 entryId, bool notify = true);
    void releaseConsumerEntries(Consumer *consumer);
    bool isHeldByConsumer(qint64 entryId) const; // delivered to one, not yet acked
    Consumer *pickConsumer(const BrokerMessage &message);
    void armTimer();
    void armAckTimeoutTimer();
    void onTimer();
    bool isShared() const { return m_kind == SubscriptionKind::Shared || m_kind == SubscriptionKind::KeyShared; }

    Topic *m_topic;
    QString m_name;
    SubscriptionKind m_kind;
    bool m_durable;
    std::vector<std::unique_ptr<Consumer>> m_consumers;
    quint64 m_nextConsumerId = 0;
    size_t m_roundRobin = 0;
    bool m_dispatching = false;
    bool m_waitingForRead = false;

    qint64 m_markDelete = -1;     // every entry <= this is acknowledged
    AckRanges m_ackedAbove;       // individually acknowledged entries above m_markDelete
    qint64 m_readPosition = 0;    // next entry never delivered yet
    std::set<qint64> m_redeliver; // entries to deliver again, oldest first
    QHash<qint64, int> m_redeliveryCount;
    std::multimap<qint64, qint64> m_timed; // due time (ms) -> entry: nack delays and delayed delivery
    std::set<qint64> m_delayed;            // entries held back by deliverAt
    // The dead-letter settings of the consumer that nacked an entry, kept until its redelivery comes due.
    struct DeadLetterSpec
    {
        int maxRedeliverCount = 0;
        QString topic;
    };
    QHash<qint64, DeadLetterSpec> m_deadLetterSpec;
    QTimer m_timer;
    qint64 m_lastConsumedMs = 0;
    qint64 m_lastAckedMs = 0;
};

} // namespace Proxy
