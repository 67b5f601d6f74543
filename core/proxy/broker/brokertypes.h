#pragma once

#include "brokermessage.h"
#include "protocol/options.h"
#include "protocol/wirestatus.h"

#include <QString>

#include <functional>
#include <memory>

namespace Proxy {

using SubscriptionKind = Pulsar::SubscriptionType;

enum class StartPosition
{
    Latest,
    Earliest,
    AfterEntry // readers only: start after a given entry (exclusive, the reader default)
};

// A refusal that the front turns into an HTTP status with Pulsar's message.
struct BrokerError
{
    Pulsar::HandshakeFailure failure = Pulsar::HandshakeFailure::ServerError;
    QString detail;
};

// Who is on the other end of a producer or consumer, as the admin API's stats show it ("address",
// "clientVersion"). In Pulsar these describe the WebSocket service's own client connection to the broker; here the
// WebSocket service is the broker's only client, so the address is the WebSocket peer's, in Java's
// InetSocketAddress form ("/127.0.0.1:54321"), and the version is this service's.
struct ClientInfo
{
    QString address;
    QString clientVersion;
};

// What a consumer asks of a subscription. Filled from the WebSocket query by the front.
struct SubscribeSpec
{
    QString subscription;
    SubscriptionKind kind = SubscriptionKind::Exclusive;
    bool durable = true;
    StartPosition initialPosition = StartPosition::Latest;
    qint64 startAfterEntry = -1; // with AfterEntry: deliver entries > this one
    QString consumerName;
    int priorityLevel = 0;
    qint64 ackTimeoutMs = 0;
    qint64 negativeAckDelayMs = 60000;
    int maxRedeliverCount = 0; // > 0 enables the dead-letter topic
    QString deadLetterTopic;   // full name; set by the front when maxRedeliverCount > 0
    bool isReader = false;     // readers never ack to the broker; their cursor only moves forward
    ClientInfo client;
};

class ConsumerLink;

// A message on its way to a consumer.
struct Delivery
{
    ConsumerLink *consumer = nullptr; // which of the session's consumers it came through
    qint64 ledgerId = 0;
    qint64 entryId = 0;
    int partition = -1;
    int redeliveryCount = 0;
    std::shared_ptr<const BrokerMessage> message;
};

// The broker pushes deliveries into this; the WebSocket session implements it.
class DeliverySink
{
public:
    virtual ~DeliverySink() = default;
    virtual void deliver(const Delivery &delivery) = 0;
    // The broker closed this consumer (unsubscribe, topic or subscription deleted): forget the pointer.
    virtual void detached(ConsumerLink *consumer) = 0;
};

// The result of one publish: either the stored id or Pulsar's send-error.
struct PublishResult
{
    bool ok = false;
    qint64 ledgerId = 0;
    qint64 entryId = 0;
    int partition = -1;
    QString error; // errorMsg of the send-error:8 ack
};
using PublishCallback = std::function<void(const PublishResult &)>;

// One publish counted against its producer's pending bound. The count drops when this goes, i.e. when the publish
// was answered (or refused) and its bookkeeping released. Carried next to the callback rather than wrapping it, so
// a publish costs one std::function, not two nested ones.
class PendingPublish
{
public:
    PendingPublish() = default;
    explicit PendingPublish(std::shared_ptr<int> counter)
        : m_counter(std::move(counter))
    {
        if (m_counter)
            ++*m_counter;
    }
    PendingPublish(const PendingPublish &) = delete;
    PendingPublish &operator=(const PendingPublish &) = delete;
    PendingPublish(PendingPublish &&other) noexcept
        : m_counter(std::move(other.m_counter))
    {}
    PendingPublish &operator=(PendingPublish &&other) noexcept
    {
        if (this != &other) {
            release();
            m_counter = std::move(other.m_counter);
        }
        return *this;
    }
    ~PendingPublish() { release(); }

private:
    void release()
    {
        if (m_counter) {
            --*m_counter;
            m_counter.reset();
        }
    }
    std::shared_ptr<int> m_counter;
};

} // namespace Proxy
