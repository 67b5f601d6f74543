#include "broker.h"

#include "proxy/store/messagestore.h"
#include "topic.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace Proxy {

namespace {

// java.lang.String.hashCode over UTF-16 code units, made non-negative as Pulsar's JavaStringHash does.
int javaStringHash(const QString &s)
{
    qint32 h = 0;
    for (const QChar c : s)
        h = qint32(quint32(h) * 31u + c.unicode());
    return h & 0x7fffffff;
}

// MurmurHash3 x86 32-bit with seed 0 over UTF-8, made non-negative, as Pulsar's Murmur3_32Hash.
int murmur3Hash(const QString &s)
{
    const QByteArray data = s.toUtf8();
    const auto *bytes = reinterpret_cast<const quint8 *>(data.constData());
    const int length = int(data.size());
    quint32 h = 0;
    const quint32 c1 = 0xcc9e2d51, c2 = 0x1b873593;
    const int blocks = length / 4;
    for (int i = 0; i < blocks; ++i) {
        quint32 k = quint32(bytes[i * 4]) | quint32(bytes[i * 4 + 1]) << 8 | quint32(bytes[i * 4 + 2]) << 16 |
                    quint32(bytes[i * 4 + 3]) << 24;
        k *= c1;
        k = (k << 15) | (k >> 17);
        k *= c2;
        h ^= k;
        h = (h << 13) | (h >> 19);
        h = h * 5 + 0xe6546b64;
    }
    quint32 k = 0;
    const quint8 *tail = bytes + blocks * 4;
    switch (length & 3) {
    case 3:
        k ^= quint32(tail[2]) << 16;
        Q_FALLTHROUGH();
    case 2:
        k ^= quint32(tail[1]) << 8;
        Q_FALLTHROUGH();
    case 1:
        k ^= tail[0];
        k *= c1;
        k = (k << 15) | (k >> 17);
        k *= c2;
        h ^= k;
    }
    h ^= quint32(length);
    h ^= h >> 16;
    h *= 0x85ebca6b;
    h ^= h >> 13;
    h *= 0xc2b2ae35;
    h ^= h >> 16;
    return int(h & 0x7fffffff);
}

BrokerError makeError(Pulsar::HandshakeFailure failure, const QString &detail)
{
    return BrokerError{failure, detail};
}

} // namespace

// ---- Producer ------------------------------------------------------------------------------------------

Producer::Producer(Broker *broker, const Pulsar::TopicName &topic, const QString &name, int partitions,
                   const Pulsar::ProducerOptions &options)
    : m_broker(broker)
    , m_topic(topic)
    , m_name(name)
    , m_partitions(partitions)
    , m_hashing(options.hashingScheme)
    , m_routing(options.effectiveRoutingMode())
    // Pulsar's producer numbers its messages from initialSequenceId + 1 (0 without one).
    , m_nextSequenceId(options.initialSequenceId.value_or(-1) + 1)
    , m_targets(size_t(std::max(1, partitions)))
{
    if (m_partitions > 0) {
        // Key-less messages of a SinglePartition producer all go to one partition chosen at random.
        m_singlePartition = int(QRandomGenerator::global()->bounded(m_partitions));
        m_roundRobin = m_singlePartition;
    }
}

Producer::~Producer()
{
    if (m_partitions == 0) {
        if (Topic *t = m_broker->existingTopic(m_topic.toString()))
            t->removeProducer(m_name);
        return;
    }
    for (int i = 0; i < m_partitions; ++i) {
        if (Topic *t = m_broker->existingTopic(m_topic.partition(i).toString()))
            t->removeProducer(m_name);
    }
}

int Producer::choosePartition(const BrokerMessage &message)
{
    if (message.key && !message.key->isEmpty()) {
        const int hash = m_hashing == Pulsar::HashingScheme::Murmur3_32Hash ? murmur3Hash(*message.key)
                                                                            : javaStringHash(*message.key);
        return hash % m_partitions;
    }
    if (m_routing == Pulsar::MessageRoutingMode::RoundRobinPartition) {
        const int p = m_roundRobin;
        m_roundRobin = (m_roundRobin + 1) % m_partitions;
        return p;
    }
    return m_singlePartition;
}

void Producer::send(std::shared_ptr<BrokerMessage> message, PublishCallback callback)
{
    if (*m_pending >= m_broker->config().maxPendingPerProducer) {
        PublishResult result;
        result.error = QStringLiteral("Producer send queue is full");
        callback(result);
        return;
    }
    message->producerName = m_name;
    message->sequenceId = m_nextSequenceId++;
    const int target = m_partitions > 0 ? choosePartition(*message) : 0;
    // The topic is looked up by name once, not per message (a name built and compared each time); the pointer
    // clears itself if the topic is deleted, and the next send looks it up (and may create it) again.
    QPointer<Topic> &topic = m_targets[size_t(target)];
    if (!topic) {
        BrokerError error;
        topic = m_broker->topic(m_partitions > 0 ? m_topic.partition(target) : m_topic, true, &error);
        if (!topic) {
            PublishResult result;
            result.error = error.detail;
            callback(result);
            return;
        }
    }
    topic->publish(std::move(message), std::move(callback), PendingPublish(m_pending));
}

// ---- Broker --------------------------------------------------------------------------------------------

Broker::Broker(const BrokerConfig &config, MessageStore *store, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_store(store)
{
    connect(m_store, &MessageStore::committed, this, &Broker::onCommitted);
    connect(m_store, &MessageStore::appendFailed, this, &Broker::onAppendFailed);
    connect(m_store, &MessageStore::readCompleted, this, &Broker::onReadCompleted);
}

Broker::~Broker()
{
    m_topics.clear();
}

void Broker::start()
{
    loadMetadata();
    bool changed = false;
    const auto ensureTenant = [&](const QString &tenant) {
        if (!m_tenants.contains(tenant)) {
            m_tenants.insert(tenant, TenantInfo{{}, {m_config.clusterName}});
            changed = true;
        }
    };
    const auto ensureNs = [&](const QString &ns) {
        if (!m_namespaces.contains(ns)) {
            m_namespaces.insert(ns);
            changed = true;
        }
    };
    if (!m_store->metadata().value(QStringLiteral("initialized")).toBool()) {
        // What Pulsar standalone and its documentation's examples expect on a fresh start.
        ensureTenant(QStringLiteral("public"));
        ensureNs(QStringLiteral("public/default"));
        ensureNs(QStringLiteral("public/functions"));
        ensureTenant(QStringLiteral("pulsar"));
        ensureNs(QStringLiteral("pulsar/system"));
        ensureTenant(QStringLiteral("sample"));
        ensureNs(QStringLiteral("sample/standalone/ns1"));
        ensureTenant(QStringLiteral("my-property"));
        ensureNs(QStringLiteral("my-property/us-west/my-ns"));
        changed = true;
    }
    if (changed)
        saveMetadata();

    // Persistent topics and their durable subscriptions come back as they were.
    for (const QString &name : m_store->topicNames()) {
        const auto parsed = Pulsar::TopicName::parse(name);
        if (!parsed)
            continue;
        Topic *t = openTopic(name, true, parsed->partitionIndex());
        const auto cursors = m_store->cursors(name);
        for (auto it = cursors.cbegin(); it != cursors.cend(); ++it) {
            Subscription::CursorSnapshot snapshot;
            snapshot.markDeleteEntryId = it.value().markDeleteEntryId;
            for (const auto &range : it.value().individuallyAcked)
                snapshot.ackedRanges.push_back({range.first, range.second});
            const auto kind = SubscriptionKind(it.value().properties.value(QStringLiteral("type")).toInt());
            t->restoreSubscription(it.key(), kind, snapshot);
        }
    }
}

void Broker::loadMetadata()
{
    const QJsonObject meta = m_store->metadata();
    const QJsonObject tenants = meta.value(QStringLiteral("tenants")).toObject();
    for (auto it = tenants.begin(); it != tenants.end(); ++it) {
        TenantInfo info;
        for (const auto v : it.value().toObject().value(QStringLiteral("adminRoles")).toArray())
            info.adminRoles.append(v.toString());
        for (const auto v : it.value().toObject().value(QStringLiteral("allowedClusters")).toArray())
            info.allowedClusters.append(v.toString());
        m_tenants.insert(it.key(), info);
    }
    for (const auto v : meta.value(QStringLiteral("namespaces")).toArray())
        m_namespaces.insert(v.toString());
    const QJsonObject partitioned = meta.value(QStringLiteral("partitioned")).toObject();
    for (auto it = partitioned.begin(); it != partitioned.end(); ++it)
        m_partitioned.insert(it.key(), it.value().toInt());
    for (const auto v : meta.value(QStringLiteral("terminated")).toArray())
        m_terminated.insert(v.toString());
    const QJsonObject autoCreation = meta.value(QStringLiteral("autoTopicCreation")).toObject();
    for (auto it = autoCreation.begin(); it != autoCreation.end(); ++it)
        m_autoTopicCreation.insert(it.key(), it.value().toBool());
}

void Broker::saveMetadata()
{
    // Keep what other parts of the broker store beside ours (topic properties).
    QJsonObject meta = m_store->metadata();
    meta.insert(QStringLiteral("initialized"), true);
    QJsonObject tenants;
    for (auto it = m_tenants.cbegin(); it != m_tenants.cend(); ++it) {
        QJsonObject info;
        info.insert(QStringLiteral("adminRoles"), QJsonArray::fromStringList(it.value().adminRoles));
        info.insert(QStringLiteral("allowedClusters"), QJsonArray::fromStringList(it.value().allowedClusters));
        tenants.insert(it.key(), info);
    }
    meta.insert(QStringLiteral("tenants"), tenants);
    QStringList namespaces(m_namespaces.cbegin(), m_namespaces.cend());
    namespaces.sort();
    meta.insert(QStringLiteral("namespaces"), QJsonArray::fromStringList(namespaces));
    QJsonObject partitioned;
    for (auto it = m_partitioned.cbegin(); it != m_partitioned.cend(); ++it)
        partitioned.insert(it.key(), it.value());
    meta.insert(QStringLiteral("partitioned"), partitioned);
    QStringList terminated(m_terminated.cbegin(), m_terminated.cend());
    terminated.sort();
    meta.insert(QStringLiteral("terminated"), QJsonArray::fromStringList(terminated));
    QJsonObject autoCreation;
    for (auto it = m_autoTopicCreation.cbegin(); it != m_autoTopicCreation.cend(); ++it)
        autoCreation.insert(it.key(), it.value());
    meta.insert(QStringLiteral("autoTopicCreation"), autoCreation);
    m_store->saveMetadata(meta);
}

Topic *Broker::openTopic(const QString &fullName, bool persistent, int partitionIndex)
{
    qint64 ledgerId = 0;
    qint64 lastEntry = -1;
    qint64 createdAt = QDateTime::currentMSecsSinceEpoch();
    if (persistent) {
        if (!m_store->hasTopic(fullName))
            m_store->createTopic(fullName);
        const TopicStats stats = m_store->topicStats(fullName);
        ledgerId = stats.ledgerId;
        lastEntry = stats.lastCommittedEntryId;
        createdAt = stats.createdAtMs;
    }
    auto topic =
        std::make_unique<Topic>(this, m_store, fullName, persistent, partitionIndex, ledgerId, lastEntry, createdAt);
    Topic *raw = topic.get();
    raw->setTerminated(m_terminated.contains(fullName));
    m_topics.emplace(fullName, std::move(topic));
    return raw;
}

Topic *Broker::existingTopic(const QString &fullName) const
{
    const auto it = m_topics.find(fullName);
    return it == m_topics.end() ? nullptr : it->second.get();
}

bool Broker::ensureNamespace(const Pulsar::TopicName &topic, BrokerError *error)
{
    const QString ns = topic.namespaceName().toString();
    if (m_namespaces.contains(ns))
        return true;
    if (!m_config.autoCreateNamespaces) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Namespace not found"));
        return false;
    }
    if (!m_tenants.contains(topic.tenant()))
        m_tenants.insert(topic.tenant(), TenantInfo{{}, {m_config.clusterName}});
    m_namespaces.insert(ns);
    saveMetadata();
    return true;
}

Topic *Broker::topic(const Pulsar::TopicName &name, bool create, BrokerError *error)
{
    if (Topic *t = existingTopic(name.toString()))
        return t;
    if (!create)
        return nullptr;
    if (!ensureNamespace(name, error))
        return nullptr;
    const bool isPartitionOfKnownTopic = name.isPartitioned() && m_partitioned.contains(name.partitionedTopicName());
    const bool autoCreate = m_autoTopicCreation.value(name.namespaceName().toString(), m_config.autoCreateTopics);
    if (!autoCreate && !isPartitionOfKnownTopic) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound,
                           QStringLiteral("Topic ") + name.toString() + QStringLiteral(" does not exist"));
        return nullptr;
    }
    return openTopic(name.toString(), name.isPersistent(), name.partitionIndex());
}

QString Broker::generateProducerName()
{
    return m_config.clusterName + QStringLiteral("-0-") + QString::number(m_producerSequence++);
}

std::unique_ptr<Producer> Broker::createProducer(const Pulsar::TopicName &topicName,
                                                 const Pulsar::ProducerOptions &options, const ClientInfo &client,
                                                 BrokerError *error)
{
    const QString name = options.producerName.value_or(generateProducerName());
    const int partitions = partitionCount(topicName.toString());
    QList<Pulsar::TopicName> targets;
    if (partitions > 0) {
        for (int i = 0; i < partitions; ++i)
            targets.append(topicName.partition(i));
    } else {
        targets.append(topicName);
    }
    QList<Topic *> registered;
    for (const auto &target : targets) {
        Topic *t = topic(target, true, error);
        if (!t || !t->addProducer(name, client, error)) {
            for (Topic *r : registered)
                r->removeProducer(name);
            return nullptr;
        }
        registered.append(t);
    }
    return std::make_unique<Producer>(this, topicName, name, partitions, options);
}

QList<Consumer *> Broker::subscribe(const QList<Pulsar::TopicName> &topics, DeliverySink *sink,
                                    const SubscribeSpec &spec, BrokerError *error)
{
    QList<Pulsar::TopicName> targets;
    for (const auto &t : topics) {
        const int partitions = partitionCount(t.toString());
        if (partitions > 0) {
            for (int i = 0; i < partitions; ++i)
                targets.append(t.partition(i));
        } else {
            targets.append(t);
        }
    }
    QList<Consumer *> consumers;
    for (const auto &target : targets) {
        Topic *t = topic(target, true, error);
        Consumer *c = t ? t->subscribe(sink, spec, error) : nullptr;
        if (!c) {
            for (Consumer *attached : consumers)
                attached->close();
            return {};
        }
        consumers.append(c);
    }
    return consumers;
}

QList<Pulsar::TopicName> Broker::topicsMatching(const QString &pattern, BrokerError *error)
{
    // The pattern names its namespace like a topic does ("persistent://t/ns/foo.*" or "t/ns/foo.*").
    const auto asTopic = Pulsar::TopicName::parse(pattern);
    if (!asTopic) {
        *error = makeError(Pulsar::HandshakeFailure::MalformedRequest, asTopic.error().message);
        return {};
    }
    const QRegularExpression regex(QRegularExpression::anchoredPattern(asTopic->toString()));
    if (!regex.isValid()) {
        *error = makeError(Pulsar::HandshakeFailure::MalformedRequest, regex.errorString());
        return {};
    }
    QList<Pulsar::TopicName> matches;
    const QString ns = asTopic->namespaceName().toString();
    QSet<QString> seen;
    const auto consider = [&](const QString &fullName) {
        const auto parsed = Pulsar::TopicName::parse(fullName);
        if (!parsed)
            return;
        // Partitions count through their partitioned topic.
        const QString base = parsed->partitionedTopicName();
        const QString name = m_partitioned.contains(base) ? base : fullName;
        if (!seen.contains(name) && regex.match(name).hasMatch()) {
            seen.insert(name);
            matches.append(*Pulsar::TopicName::parse(name));
        }
    };
    for (const QString &t : topics(ns, asTopic->isPersistent()))
        consider(t);
    return matches;
}

bool Broker::publishInternal(const QString &topicName, std::shared_ptr<BrokerMessage> message)
{
    const auto parsed = Pulsar::TopicName::parse(topicName);
    if (!parsed)
        return false;
    BrokerError error;
    Topic *t = topic(*parsed, true, &error);
    if (!t)
        return false;
    t->publish(std::move(message), [](const PublishResult &) {});
    return true;
}

void Broker::appendToStore(Topic *topic, std::shared_ptr<BrokerMessage> message, PublishCallback callback,
                           PendingPublish pending)
{
    const quint64 ticket = ++m_nextTicket;
    QString reason;
    const qint64 entryId = m_store->appendToLedger(topic->ledgerId(), message->encode(), ticket, &reason);
    if (entryId < 0) {
        PublishResult result;
        result.error = reason;
        callback(result);
        return;
    }
    Inflight inflight;
    inflight.ticket = ticket;
    inflight.topic = topic;
    inflight.entryId = entryId;
    inflight.message = std::move(message);
    inflight.callback = std::move(callback);
    inflight.pending = std::move(pending);
    m_inflight.push_back(std::move(inflight));
}

Broker::Inflight Broker::takeInflight(quint64 ticket)
{
    Inflight taken;
    auto it = m_inflight.begin();
    if (it == m_inflight.end() || it->ticket != ticket)
        it = std::lower_bound(m_inflight.begin(), m_inflight.end(), ticket,
                              [](const Inflight &i, quint64 t) { return i.ticket < t; });
    if (it == m_inflight.end() || it->ticket != ticket || !it->callback)
        return taken;
    taken = std::move(*it);
    it->callback = nullptr; // answered; the slot goes once everything before it is answered too
    while (!m_inflight.empty() && !m_inflight.front().callback)
        m_inflight.pop_front();
    return taken;
}

void Broker::onCommitted(const QVector<quint64> &tickets)
{
    QList<Topic *> touched;
    for (const quint64 ticket : tickets) {
        Inflight inflight = takeInflight(ticket);
        if (!inflight.callback)
            continue;
        Topic *t = inflight.topic.data();
        PublishResult result;
        result.ok = true;
        result.entryId = inflight.entryId;
        if (t) {
            t->onCommitted(inflight.entryId, inflight.message);
            result.ledgerId = t->ledgerId();
            result.partition = t->partitionIndex();
            if (!touched.contains(t))
                touched.append(t);
        }
        inflight.callback(result);
    }
    // One dispatch pass per topic per commit group, not one per message.
    for (Topic *t : touched)
        t->notifySubscriptions();
}

void Broker::onAppendFailed(const QVector<quint64> &tickets, const QString &reason)
{
    for (const quint64 ticket : tickets) {
        Inflight inflight = takeInflight(ticket);
        if (!inflight.callback)
            continue;
        PublishResult result;
        result.error = reason;
        inflight.callback(result);
    }
}

void Broker::readFromStore(Topic *topic, qint64 fromEntryId)
{
    const quint64 token = ++m_nextTicket;
    m_reads.insert(token, {topic->name(), fromEntryId});
    m_store->readAsync(topic->name(), fromEntryId, 256, 4 * 1024 * 1024, token);
}

void Broker::onReadCompleted(quint64 token, const QString &topicName, const QVector<StoredEntry> &entries)
{
    const auto request = m_reads.take(token);
    if (Topic *t = existingTopic(topicName))
        t->onReadCompleted(request.second, entries);
}

// ---- admin plane ---------------------------------------------------------------------------------------

std::optional<TenantInfo> Broker::tenant(const QString &name) const
{
    const auto it = m_tenants.find(name);
    if (it == m_tenants.end())
        return std::nullopt;
    return it.value();
}

bool Broker::createTenant(const QString &name, const TenantInfo &info, BrokerError *error)
{
    if (!Pulsar::NamespaceName::isValidNamedEntity(name) || name.isEmpty()) {
        *error = makeError(Pulsar::HandshakeFailure::Conflict, QStringLiteral("Invalid tenant name"));
        error->failure = Pulsar::HandshakeFailure::InvalidQueryParams;
        return false;
    }
    if (m_tenants.contains(name)) {
        *error = makeError(Pulsar::HandshakeFailure::Conflict, QStringLiteral("Tenant already exists"));
        return false;
    }
    m_tenants.insert(name, info);
    saveMetadata();
    return true;
}

bool Broker::deleteTenant(const QString &name, BrokerError *error)
{
    if (!m_tenants.contains(name)) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Tenant does not exist"));
        return false;
    }
    for (const QString &ns : std::as_const(m_namespaces)) {
        if (ns.startsWith(name + QLatin1Char('/'))) {
            *error =
                makeError(Pulsar::HandshakeFailure::Conflict, QStringLiteral("The tenant still has active namespaces"));
            return false;
        }
    }
    m_tenants.remove(name);
    saveMetadata();
    return true;
}

QStringList Broker::namespaces(const QString &tenant, BrokerError *error) const
{
    if (!m_tenants.contains(tenant)) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Tenant does not exist"));
        return {};
    }
    QStringList result;
    for (const QString &ns : m_namespaces) {
        if (ns.startsWith(tenant + QLatin1Char('/')))
            result.append(ns);
    }
    result.sort();
    return result;
}

bool Broker::createNamespace(const QString &ns, BrokerError *error)
{
    const auto parsed = Pulsar::NamespaceName::parse(ns);
    if (!parsed) {
        *error = makeError(Pulsar::HandshakeFailure::InvalidQueryParams, parsed.error().message);
        return false;
    }
    if (!m_tenants.contains(parsed->tenant())) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Tenant does not exist"));
        return false;
    }
    if (m_namespaces.contains(ns)) {
        *error = makeError(Pulsar::HandshakeFailure::Conflict, QStringLiteral("Namespace already exists"));
        return false;
    }
    m_namespaces.insert(ns);
    saveMetadata();
    return true;
}

bool Broker::deleteNamespace(const QString &ns, BrokerError *error)
{
    if (!m_namespaces.contains(ns)) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Namespace does not exist"));
        return false;
    }
    if (!topics(ns, true).isEmpty() || !topics(ns, false).isEmpty() || !partitionedTopics(ns, true).isEmpty()) {
        *error = makeError(Pulsar::HandshakeFailure::Conflict, QStringLiteral("Cannot delete non empty namespace"));
        return false;
    }
    m_namespaces.remove(ns);
    m_autoTopicCreation.remove(ns);
    saveMetadata();
    return true;
}

QStringList Broker::topics(const QString &ns, bool persistent) const
{
    QStringList result;
    const QString prefix =
        (persistent ? QStringLiteral("persistent://") : QStringLiteral("non-persistent://")) + ns + QLatin1Char('/');
    for (const auto &t : m_topics) {
        if (t.first.startsWith(prefix))
            result.append(t.first);
    }
    // Partitions of partitioned topics exist even before anyone used them.
    for (auto it = m_partitioned.cbegin(); it != m_partitioned.cend(); ++it) {
        if (!it.key().startsWith(prefix))
            continue;
        for (int i = 0; i < it.value(); ++i) {
            const QString partition = it.key() + QStringLiteral("-partition-") + QString::number(i);
            if (!result.contains(partition))
                result.append(partition);
        }
    }
    result.sort();
    return result;
}

QStringList Broker::partitionedTopics(const QString &ns, bool persistent) const
{
    QStringList result;
    const QString prefix =
        (persistent ? QStringLiteral("persistent://") : QStringLiteral("non-persistent://")) + ns + QLatin1Char('/');
    for (auto it = m_partitioned.cbegin(); it != m_partitioned.cend(); ++it) {
        if (it.key().startsWith(prefix))
            result.append(it.key());
    }
    return result;
}

int Broker::partitionCount(const QString &fullName) const
{
    return m_partitioned.value(fullName, 0);
}

bool Broker::createPartitionedTopic(const Pulsar::TopicName &topicName, int partitions, BrokerError *error)
{
    if (partitions <= 0) {
        *error = makeError(Pulsar::HandshakeFailure::InvalidQueryParams,
                           QStringLiteral("The number of partitions should be more than 0"));
        return false;
    }
    if (!ensureNamespace(topicName, error))
        return false;
    if (m_partitioned.contains(topicName.toString()) || existingTopic(topicName.toString())) {
        *error = makeError(Pulsar::HandshakeFailure::Conflict, QStringLiteral("This topic already exists"));
        return false;
    }
    m_partitioned.insert(topicName.toString(), partitions);
    saveMetadata();
    return true;
}

bool Broker::createTopic(const Pulsar::TopicName &topicName, BrokerError *error)
{
    if (existingTopic(topicName.toString()) || m_partitioned.contains(topicName.toString())) {
        *error = makeError(Pulsar::HandshakeFailure::Conflict, QStringLiteral("This topic already exists"));
        return false;
    }
    if (!ensureNamespace(topicName, error))
        return false;
    openTopic(topicName.toString(), topicName.isPersistent(), topicName.partitionIndex());
    return true;
}

bool Broker::deleteTopic(const Pulsar::TopicName &topicName, bool force, BrokerError *error)
{
    Topic *t = existingTopic(topicName.toString());
    if (!t) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Topic not found"));
        return false;
    }
    bool connected = !t->producers().isEmpty();
    for (const auto &s : t->subscriptions())
        connected = connected || !s.second->consumers().empty();
    if (connected && !force) {
        *error = makeError(Pulsar::HandshakeFailure::ServerError,
                           QStringLiteral("Topic has active producers/subscriptions"));
        error->failure = Pulsar::HandshakeFailure::Conflict;
        return false;
    }
    const QString name = topicName.toString();
    auto node = m_topics.extract(name);
    node.mapped()->closeAll();
    if (t->isPersistent())
        m_store->deleteTopic(name);
    if (m_terminated.remove(name))
        saveMetadata();
    return true; // the topic goes with `node`, now: an admin request is never inside the topic's own call stack
}

bool Broker::deletePartitionedTopic(const Pulsar::TopicName &topicName, bool force, BrokerError *error)
{
    const int partitions = partitionCount(topicName.toString());
    if (partitions == 0) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Partitioned topic does not exist"));
        return false;
    }
    for (int i = 0; i < partitions; ++i) {
        BrokerError ignored;
        const auto partition = topicName.partition(i);
        if (existingTopic(partition.toString()) && !deleteTopic(partition, force, error))
            return false;
    }
    m_partitioned.remove(topicName.toString());
    saveMetadata();
    return true;
}

bool Broker::terminate(const Pulsar::TopicName &topicName, qint64 *lastEntry, BrokerError *error)
{
    Topic *t = topic(topicName, false, error);
    if (!t) {
        *error = makeError(Pulsar::HandshakeFailure::TopicNotFound, QStringLiteral("Topic not found"));
        return false;
    }
    m_terminated.insert(t->name());
    saveMetadata();
    t->setTerminated(true);
    *lastEntry = t->lastEntryId();
    return true;
}

void Broker::setAutoTopicCreation(const QString &ns, std::optional<bool> allow)
{
    if (allow)
        m_autoTopicCreation.insert(ns, *allow);
    else
        m_autoTopicCreation.remove(ns);
    saveMetadata();
}

void Broker::shutdown()
{
    for (auto &t : m_topics) {
        t.second->flushCursors();
        t.second->closeAll();
    }
    m_store->close();
}

} // namespace Proxy
