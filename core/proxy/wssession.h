#pragma once

#include "backend.h"
#include "protocol/frames.h"
#include "protocol/options.h"
#include "serviceconfig.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <deque>
#include <limits>
#include <memory>

class QWebSocket;

namespace Proxy {

// One WebSocket session of the bundled service. It exists from the moment the handshake is accepted; the socket
// arrives a moment later (attach()), and anything to send before that is held back.
class WsSession : public QObject
{
    Q_OBJECT

public:
    explicit WsSession(const ServiceConfig &config, QObject *parent = nullptr);
    ~WsSession() override;

    void attach(QWebSocket *socket);
    bool isAttached() const { return m_socket != nullptr; }
    // Stops taking frames (the service is shutting down); what is already in flight still completes.
    void drain() { m_draining = true; }
    // Closes with 1001, as a stopping server does.
    void goAway();

Q_SIGNALS:
    void finished(Proxy::WsSession *session);

protected:
    // One text message as UTF-8, already checked against the size limit.
    virtual void handleText(const QByteArray &utf8) = 0;
    virtual void onAttached() {}
    virtual void onWritable() {}
    // The connection is closing or gone: give back what the session holds in the broker now (a producer name, a
    // place on an Exclusive subscription), not when the object is destroyed, so a client may reconnect at once.
    virtual void releaseBackend() {}
    // Sends one text frame (JSON built as UTF-8).
    void sendText(const QByteArray &utf8);
    // The same for a frame already built as a QString (what QWebSocket takes): no UTF-8 round trip.
    void sendTextString(const QString &text);
    bool isCongested() const;
    // Pulsar's "close with status 3": Jetty 9 cannot send that code and drops the connection (spec 5.2).
    void abortConnection();
    // Closes with a real close code, e.g. 1011 when Pulsar's handler would have thrown.
    void closeWith(int code, const QString &reason);

    const ServiceConfig &config() const { return m_config; }

private:
    void onTextMessage(const QString &text);
    void touch();
    void onIdleTimeout();

    ServiceConfig m_config;
    QWebSocket *m_socket = nullptr;
    QTimer m_idleTimer;
    qint64 m_lastTrafficMs = 0; // coarseMonotonicMs() of the last frame in or out
    QTimer m_pingTimer;
    std::deque<QByteArray> m_beforeAttach;
    bool m_closing = false;
    bool m_draining = false;
};

// /ws/v2/producer/...: every text frame is one send; the ack goes back when the broker stored the message.
class ProducerWsSession final : public WsSession
{
    Q_OBJECT

public:
    // encryptionKeys: the producer's client-side (PIP-290) data keys, empty when it does not encrypt.
    ProducerWsSession(const ServiceConfig &config, std::unique_ptr<ProducerLink> producer,
                      QList<Pulsar::EncryptionKeyEntry> encryptionKeys = {}, QObject *parent = nullptr);
    ~ProducerWsSession() override;

protected:
    void handleText(const QByteArray &utf8) override;
    void releaseBackend() override { m_producer.reset(); }

private:
    std::unique_ptr<ProducerLink> m_producer;
    QList<Pulsar::EncryptionKeyEntry> m_encryptionKeys;
    std::shared_ptr<bool> m_alive;
};

// /ws/v2/consumer/..., /ws/v3/consumer/... and /ws/v2/reader/...: pushes messages within Pulsar's window (push
// mode: pushed minus acked/nacked below receiverQueueSize; pull mode: permits), and takes acks, nacks, permits,
// unsubscribe and isEndOfTopic. A reader's frames only free window slots.
class ConsumerWsSession final : public WsSession, public DeliverySink
{
    Q_OBJECT

public:
    enum class Mode
    {
        Consumer,
        Reader
    };
    ConsumerWsSession(const ServiceConfig &config, Mode mode, int window, bool pullMode,
                      Pulsar::CryptoFailureAction cryptoFailureAction = Pulsar::CryptoFailureAction::Fail,
                      QObject *parent = nullptr);
    ~ConsumerWsSession() override;

    // The broker consumers, one per topic or partition; each gets `window` permits to start with.
    void setConsumers(const QList<ConsumerLink *> &consumers);

    void deliver(const Delivery &delivery) override;
    void detached(ConsumerLink *consumer) override;

protected:
    void handleText(const QByteArray &utf8) override;
    void onAttached() override { pump(); }
    void onWritable() override { pump(); }
    void releaseBackend() override { closeConsumers(); }

private:
    void pump();
    bool canPush() const;
    // False when the message was not pushed (an encrypted message this consumer cannot take).
    bool push(const Delivery &delivery);
    ConsumerLink *consumerFor(const Pulsar::MessageId &id) const;
    void closeConsumers();
    void answerEndOfTopic();

    Mode m_mode;
    int m_window;
    bool m_pullMode;
    Pulsar::CryptoFailureAction m_cryptoFailureAction;
    QList<ConsumerLink *> m_consumers;
    QHash<int, ConsumerLink *> m_byPartition;
    std::deque<Delivery> m_queue; // delivered by the broker, not yet pushed (bounded by the permits it holds)
    int m_pushedUnacked = 0;      // push mode window counter (may go below zero, as in Pulsar)
    qint64 m_credits = 0;         // pull mode
    bool m_pumping = false;
    bool m_unsubscribed = false;
    // Which consumer delivered each ledger: every topic and partition has its own ledger, so an ack's id names
    // its consumer even in a v3 session over several unpartitioned topics, where the partition cannot.
    QHash<qint64, ConsumerLink *> m_byLedger;
    // The publish time last formatted (none yet: no message has this time), and its text.
    qint64 m_publishTimeMs = std::numeric_limits<qint64>::min();
    QByteArray m_publishTimeText;
};

} // namespace Proxy
