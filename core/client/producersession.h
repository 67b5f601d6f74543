#pragma once

#include "clienterror.h"
#include "connectionprofile.h"
#include "websocketchannel.h"

#include "protocol/frames.h"
#include "protocol/messageid.h"
#include "protocol/options.h"
#include "protocol/textkey.h"
#include "protocol/topicname.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <optional>

namespace Pulsar {

// One message to publish (spec 3.1).
struct OutgoingMessage
{
    QByteArray payload;
    std::optional<QString> key;
    Properties properties;
    std::optional<qint64> eventTimeMs; // sent in Pulsar's time format, UTC
    qint64 deliverAtMs = 0;            // epoch ms; 0 = unset (honoured by Pulsar on Shared/Key_Shared only)
    qint64 deliverAfterMs = 0;         // 0 = unset; wins over deliverAtMs on the server
    std::optional<QStringList> replicationClusters;
    QString context; // empty: the session makes a unique one
};

// What became of one send, correlated by context (acks may arrive out of order).
struct SendResult
{
    QString context;
    bool ok = false;
    MessageId messageId;                                     // ok: decoded
    QString messageIdBase64;                                 // ok: exactly as the server wrote it
    WebSocketError errorCode = WebSocketError::UnknownError; // !ok: send-error:N, or 8 for client-side failures
    QString errorMsg;               // !ok: the server's errorMsg, or the translated client-side reason
    ClientError error;              // !ok: the full error (code SendFailed, SendTimeout, InFlightLost, SessionClosed)
    bool possibleDuplicate = false; // written again after a reconnect (ResendInFlight): may be stored twice
};

// The answer of ProducerSession::send(): accepted (the result will come as sendFinished) or refused now.
struct SendTicket
{
    QString context;
    std::optional<ClientError> refused;
    bool accepted() const { return !refused.has_value(); }
};

// What happens to sends that were written but not acked when the connection drops. Either way the caller hears
// about each of them: never silently lost, never silently duplicated.
enum class InFlightPolicy
{
    FailInFlight,   // each reported failed (InFlightLost: "may or may not have been stored")
    ResendInFlight, // written again after the reconnect; the result carries possibleDuplicate = true
};

struct ProducerSettings
{
    ProducerOptions options; // every query parameter of spec 2.1; options.token is ignored (the profile's counts)
    // Written but not yet acked. Pulsar's proxy allows 1000 pending publishes per connection.
    int maxInFlight = 1000;
    // Accepted but not yet written (window full, outgoing buffer above its mark, or reconnecting). When
    // in flight + queued reach maxInFlight + maxQueued, send() refuses with QueueFull and canSend() is false
    // until windowAvailable().
    int maxQueued = 1000;
    InFlightPolicy inFlightPolicy = InFlightPolicy::FailInFlight;
    ChannelPolicy channel;
    QueryItems extraQueryItems; // appended after the options (parameters newer than this library)
};

// A producer on one topic over Pulsar's WebSocket API (/ws/v2/producer/...). Pipelines sends within an
// in-flight window, correlates acks by context, applies sendTimeoutMillis on the client side too, and survives
// reconnects according to its InFlightPolicy. Everything is asynchronous; results arrive as sendFinished.
class ProducerSession final : public QObject
{
    Q_OBJECT
public:
    ProducerSession(const ConnectionProfile &profile, const TopicName &topic,
                    const ProducerSettings &settings = ProducerSettings(), QObject *parent = nullptr);
    ~ProducerSession() override;

    void open();
    // Closes the connection; every send still waiting is reported failed (SessionClosed).
    void close();

    SendTicket send(const OutgoingMessage &message);
    bool canSend() const;
    int inFlightCount() const { return int(m_inFlight.size()); }
    int queuedCount() const { return int(m_queue.size()); }

    WebSocketChannel *channel() const { return m_channel; }
    const ChannelStatus &status() const { return m_channel->status(); }
    const ProducerSettings &settings() const { return m_settings; }

Q_SIGNALS:
    void sendFinished(const Pulsar::SendResult &result);
    // canSend() turned true again after send() had refused or the capacity had been reached.
    void windowAvailable();
    void statusChanged(const Pulsar::ChannelStatus &status);

private:
    struct Pending
    {
        QString context;
        QByteArray frame;
        quint64 sequence = 0;
        qint64 deadline = 0; // monotonic ms; 0 = no timeout
        bool resent = false;
    };

    void pump();
    void onText(const QString &text);
    void onDisconnected(const ClientError &reason);
    void onStatus(const ChannelStatus &status);
    void checkTimeouts();
    void failAll(const ClientError &inFlightError, const ClientError &queuedError);
    void report(const Pending &pending, const ClientError &error);
    void updateCapacity();
    int capacity() const { return m_settings.maxInFlight + m_settings.maxQueued; }

    ConnectionProfile m_profile;
    TopicName m_topic;
    ProducerSettings m_settings;
    WebSocketChannel *m_channel = nullptr;
    QHash<TextKey, Pending> m_inFlight;
    std::deque<Pending> m_queue;
    QSet<TextKey> m_queuedContexts;
    QString m_contextPrefix;
    quint64 m_sequence = 0;
    QTimer m_timeoutTimer;
    QElapsedTimer m_clock;
    bool m_full = false;
};

} // namespace Pulsar

Q_DECLARE_METATYPE(Pulsar::SendResult)
