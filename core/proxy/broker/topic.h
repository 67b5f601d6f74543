#pragma once

#include "brokertypes.h"
#include "subscription.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace Proxy {

class Broker;
class MessageStore;
struct StoredEntry;

// Counters a topic keeps for the admin API's stats.
struct TopicCounters
{
    quint64 msgIn = 0;
    quint64 bytesIn = 0;
    quint64 msgOut = 0;
    quint64 bytesOut = 0;
    qint64 lastPublishMs = 0;
};

// One topic (or one partition of a partitioned topic): its producers, subscriptions and the window of recent
// entries that consumers read from memory. Persistent topics keep their entries in the MessageStore;
// non-persistent ones pass messages straight to connected consumers (ids 0:0, as in Pulsar).
class Topic final : public QObject
{
    Q_OBJECT

public:
    Topic(Broker *broker, MessageStore *store, const QString &fullName, bool persistent, int partitionIndex,
          qint64 ledgerId, qint64 lastEntryId, qint64 createdAtMs, QObject *parent = nullptr);
    ~Topic() override;

    const QString &name() const { return m_name; }
    bool isPersistent() const { return m_persistent; }
    int partitionIndex() const { return m_partitionIndex; }
    qint64 ledgerId() const { return m_ledgerId; }
    qint64 lastEntryId() const { return m_lastEntryId; }
    qint64 createdAtMs() const { return m_createdAtMs; }
    bool isTerminated() const { return m_terminated; }
    void setTerminated(bool terminated);
    const TopicCounters &counters() const { return m_counters; }
    void countDelivery(qint64 bytes)
    {
        m_counters.msgOut += 1;
        m_counters.bytesOut += quint64(bytes);
    }

    // Producers are tracked by name so that a second producer with the same name is refused (409).
    struct ProducerEntry
    {
        qint64 connectedSinceMs = 0;
        ClientInfo client;
    };
    bool addProducer(const QString &name, const ClientInfo &client, BrokerError *error);
    void removeProducer(const QString &name);
    const QHash<QString, ProducerEntry> &producers() const { return m_producers; } // by name

    // Publishes one message; the callback runs once it is stored (persistent) or handed out (non-persistent).
    // `pending` counts it against its producer's bound until it is answered.
    void publish(std::shared_ptr<BrokerMessage> message, PublishCallback callback,
                 PendingPublish pending = PendingPublish());
    // The store committed entries the broker appended for this topic.
    void onCommitted(qint64 entryId, std::shared_ptr<const BrokerMessage> message);
    // After a commit group: subscriptions dispatch what became available.
    void notifySubscriptions();

    Subscription *subscription(const QString &name) const;
    const std::map<QString, std::unique_ptr<Subscription>> &subscriptions() const { return m_subscriptions; }
    // Finds or creates the subscription and attaches a consumer, or says why not.
    Consumer *subscribe(DeliverySink *sink, const SubscribeSpec &spec, BrokerError *error);
    // Creates a durable subscription without consumers (admin API), at the start or the end.
    Subscription *createSubscription(const QString &name, bool atEarliest);
    void removeSubscription(Subscription *subscription);

    // The message of an entry, from memory if recent; otherwise an asynchronous read is started, `pending` is
    // set and the requester's dispatch() runs again when it completes.
    std::shared_ptr<const BrokerMessage> entry(qint64 entryId, Subscription *requester, bool *pending);
    void onReadCompleted(qint64 fromEntryId, const QVector<StoredEntry> &entries);

    bool sendToDeadLetter(const QString &deadLetterTopic, qint64 entryId);
    void restoreSubscription(const QString &name, SubscriptionKind kind, const Subscription::CursorSnapshot &cursor);
    void closeAll(); // detaches every consumer (topic deleted or service stopping)

    // Writes the cursors changed since the last flush (also on a short timer, so that a burst of acks costs one
    // snapshot per subscription rather than one per ack).
    void flushCursors();

    // Oldest entry a durable subscription still needs; entries below it may be trimmed.
    qint64 minimumMarkDelete() const;

private:
    void persistCursor(Subscription *subscription);
    // Takes a new subscription in: its cursor changes reach the store (durable, persistent topics only).
    Subscription *adopt(std::unique_ptr<Subscription> subscription, bool persistNow);
    qint64 beforeFirstEntry() const; // the "earliest" start position: just before the first stored entry
    // The message from the recent window or the store's cache; nullptr when only a disk read can have it.
    std::shared_ptr<const BrokerMessage> inMemory(qint64 entryId);
    void markCursorDirty(Subscription *subscription);
    void remember(qint64 entryId, std::shared_ptr<const BrokerMessage> message);

    Broker *m_broker;
    MessageStore *m_store;
    QString m_name;
    bool m_persistent;
    int m_partitionIndex;
    qint64 m_ledgerId;
    qint64 m_lastEntryId;
    qint64 m_createdAtMs;
    bool m_terminated = false;
    TopicCounters m_counters;
    QHash<QString, ProducerEntry> m_producers;
    std::map<QString, std::unique_ptr<Subscription>> m_subscriptions;

    // Recent entries, decoded, so that live consumers never touch the disk. Bounded by count and by payload bytes.
    static constexpr int kRecentEntries = 4096;
    static constexpr qint64 kRecentBytes = 32 * 1024 * 1024;
    // Hashed, not ordered: nothing walks it in order, and a tree lookup per delivered message was the largest
    // single cost of a consumer catching up (its nodes are cold by the time the entry is read).
    std::unordered_map<qint64, std::shared_ptr<const BrokerMessage>> m_recent;
    std::deque<qint64> m_recentOrder; // entry ids in the order they were remembered
    qint64 m_recentBytes = 0;
    bool m_readInFlight = false;
    qint64 m_unreadableEntry = -1;
    QSet<Subscription *> m_waitingForRead;
    QSet<Subscription *> m_dirtyCursors;
    QTimer m_cursorTimer;
    // Removed subscriptions, destroyed on the next turn of the event loop (removal can happen inside their own call
    // stack) and at the latest with the topic, so none outlives the topic it points to.
    std::vector<std::unique_ptr<Subscription>> m_removed;
    QTimer m_reaper;
};

} // namespace Proxy
