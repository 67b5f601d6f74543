#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Proxy {

class Broker;
class Topic;

// Renders Pulsar's stats documents for the admin API (spec 9): TopicStatsImpl with its SubscriptionStatsImpl,
// ConsumerStatsImpl and PublisherStatsImpl, PartitionedTopicStatsImpl, and PersistentTopicInternalStats. Field
// names and order follow Pulsar's Jackson output, including the fields Jackson writes twice (isDurable and durable)
// and Java's number formats, so a client written for Pulsar reads ours unchanged. Rates are not measured and read
// 0.0, as on a Pulsar broker that has not yet run its first stats interval.
class AdminStats final
{
public:
    struct Options
    {
        bool subscriptionBacklogSize = true; // false: every subscription's backlogSize is -1, as in Pulsar
        bool excludePublishers = false;
        bool excludeConsumers = false;
        QString ownerBroker; // host:port this service answers on; omitted when empty
    };

    explicit AdminStats(const Broker *broker);

    QByteArray topicStats(const Topic &topic, const Options &options) const;
    // The aggregate of the partitions (in index order; a nullptr is a partition that could not be read and is
    // left out, as Pulsar leaves out a partition whose stats failed), plus each partition when perPartition.
    QByteArray partitionedStats(const QList<const Topic *> &partitions, int partitionCount, bool perPartition,
                                const Options &options) const;
    QByteArray internalStats(const Topic &topic) const;
    QByteArray partitionedInternalStats(const QList<const Topic *> &partitions, int partitionCount) const;

private:
    const Broker *m_broker;
};

} // namespace Proxy
