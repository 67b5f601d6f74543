#pragma once

#include "clienterror.h"
#include "connectionprofile.h"
#include "receivedmessage.h"
#include "websocketchannel.h"

#include "protocol/endpoint.h"
#include "protocol/options.h"
#include "protocol/textkey.h"

#include <QHash>
#include <QMap>
#include <QObject>

#include <deque>

namespace Pulsar {

class DeliveryBatcher;

struct ConsumerSettings
{
    ConsumerOptions options; // every query parameter of spec 2.2; options.token is ignored (the profile's counts)
    // Ack every message right after the batch holding it was delivered to the caller.
    bool autoAck = false;
    DeliveryPolicy delivery;
    // Bookkeeping caps. Unacked ids are bounded by the server's push window (<= 1000) in push mode and by the
    // caller's permits in pull mode; past maxTrackedUnacked the lowest ids leave the set (they can still be
    // acked by their id text, but unacked() and ackUpTo() no longer see them). Acked and negatively acked ids are
    // remembered (up to maxRememberedIds, oldest forgotten first) to flag redeliveries and to re-ack, silently,
    // a message the caller already acked that the server sends again because the ack was lost with a
    // connection.
    int maxTrackedUnacked = 100000;
    int maxRememberedIds = 10000;
    ChannelPolicy channel;
    QueryItems extraQueryItems; // appended after the options (parameters newer than this library)
};

// One delivered message the caller has not acked yet.
struct UnackedMessage
{
    QString messageIdText; // exactly as received
    MessageId id;
    int redeliveryCount = 0; // the server's count at the last delivery
    int deliveries = 0;      // how often this session delivered it
};

// A consumer of one subscription over Pulsar's WebSocket API: a v2 topic consumer (Endpoint::consumer) or a v3
// multi-topic consumer (Endpoint::multiTopic / multiTopicPattern). Messages reach the caller in batches
// (DeliveryPolicy). Acks are sent with the exact id text received, since Pulsar's id cache is keyed by it.
// Reconnects after drops; messages the server sends again are flagged as redelivered. On non-persistent topics,
// whose ids are all alike, nothing is tracked: unacked() stays empty and messages are flagged only by the
// server's redeliveryCount.
class ConsumerSession final : public QObject
{
    Q_OBJECT
public:
    ConsumerSession(const ConnectionProfile &profile, const Endpoint &endpoint,
                    const ConsumerSettings &settings = ConsumerSettings(), QObject *parent = nullptr);
    ~ConsumerSession() override;

    void open();
    void close();

    // Individual acks. While disconnected an ack is remembered and applied when the server redelivers the message
    // (it will: the server saw no ack). False for an id this session does not know as unacked (the frame is
    // still sent when connected and the id text is given, as Pulsar accepts acks of any id it can decode).
    bool ack(const QString &messageIdText);
    bool ack(const MessageId &id);
    int ack(const QStringList &messageIdTexts);
    // Acks every delivered-and-unacked id <= id (MessageId order: ledger, entry, partition, batch index). The
    // WebSocket API has no cumulative ack; this sends one ack per id. On a multi-topic consumer the order
    // across topics is by id only, not by time. Returns the number of ids acked.
    int ackUpTo(const MessageId &id);
    bool negativeAck(const QString &messageIdText);
    bool negativeAck(const MessageId &id);

    // Pull mode: ask for n more messages (n > 0). Credits not yet used are asked for again after a reconnect.
    bool permit(int n);
    // Deletes the subscription. Pulsar answers nothing on success and drops the connection on failure, so an
    // isEndOfTopic query follows the command: its answer means success (unsubscribed(), the session closes),
    // a drop before it means failure (unsubscribeFailed(), the session reconnects as usual).
    bool unsubscribe();
    // The answer comes as endOfTopicReceived().
    bool queryEndOfTopic();

    QList<UnackedMessage> unacked() const;
    int unackedCount() const { return int(m_unacked.size()); }
    // -1 when the id is not unacked.
    int redeliveryCount(const QString &messageIdText) const;
    // Redelivered messages this session acked silently because the caller had acked them already.
    int suppressedRedeliveries() const { return m_suppressed; }
    int outstandingPermits() const { return m_outstandingPermits; }

    WebSocketChannel *channel() const { return m_channel; }
    const ChannelStatus &status() const { return m_channel->status(); }
    const Endpoint &endpoint() const { return m_endpoint; }

Q_SIGNALS:
    void messagesReceived(const QList<Pulsar::ReceivedMessage> &messages);
    void endOfTopicReceived(bool endOfTopic);
    void unsubscribed();
    void unsubscribeFailed(const Pulsar::ClientError &error);
    void statusChanged(const Pulsar::ChannelStatus &status);

private:
    enum class Remembered
    {
        Acked,
        Nacked,
    };
    enum class Query
    {
        Caller,
        UnsubscribeCheck,
    };

    void onText(const QString &text);
    void onConnected();
    void onDisconnected(const ClientError &reason);
    void deliver(QList<ReceivedMessage> &&batch);
    bool sendCommand(const ConsumerCommand &command);
    bool acknowledge(const QString &messageIdText, bool negative);
    void remember(const MessageId &id, Remembered what);
    void forgetUnacked(const QString &messageIdText);

    ConnectionProfile m_profile;
    Endpoint m_endpoint;
    ConsumerSettings m_settings;
    WebSocketChannel *m_channel = nullptr;
    DeliveryBatcher *m_batcher = nullptr;
    QMap<MessageId, UnackedMessage> m_unacked; // ordered for ackUpTo
    QHash<TextKey, MessageId> m_unackedByText;
    QHash<MessageId, Remembered> m_remembered;
    std::deque<MessageId> m_rememberedOrder;
    std::deque<Query> m_queries;
    int m_outstandingPermits = 0;
    int m_suppressed = 0;
    bool m_unsubscribing = false;
    // Non-persistent topics give every message the same id (spec 4): ids then identify nothing, so they are
    // neither tracked nor remembered.
    bool m_trackIds = true;
};

} // namespace Pulsar
