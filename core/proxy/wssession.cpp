#include "wssession.h"

#include "coarseclock.h"
#include "protocol/frames.h"
#include "protocol/messageid.h"
#include "protocol/timeformat.h"

#include <QDateTime>
#include <QWebSocket>

namespace Proxy {

// ---- WsSession -----------------------------------------------------------------------------------------

WsSession::WsSession(const ServiceConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &WsSession::onIdleTimeout);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (m_socket)
            m_socket->ping(QByteArrayLiteral("PING"));
    });
}

WsSession::~WsSession()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void WsSession::attach(QWebSocket *socket)
{
    m_socket = socket;
    socket->setParent(this);
    connect(socket, &QWebSocket::textMessageReceived, this, &WsSession::onTextMessage);
    // Binary frames carry no meaning in Pulsar's API (they are ignored) but they are traffic.
    connect(socket, &QWebSocket::binaryMessageReceived, this, &WsSession::touch);
    connect(socket, &QWebSocket::pong, this, &WsSession::touch);
    // A close frame from the client starts the close handshake (aboutToClose); the TCP disconnect comes later.
    connect(socket, &QWebSocket::aboutToClose, this, [this] { releaseBackend(); });
    connect(socket, &QWebSocket::disconnected, this, [this] {
        releaseBackend();
        Q_EMIT finished(this);
    });
    connect(socket, &QWebSocket::bytesWritten, this, [this] {
        if (!isCongested())
            onWritable();
    });
    if (m_config.serverPingSeconds > 0)
        m_pingTimer.start(m_config.serverPingSeconds * 1000);
    touch();
    while (!m_beforeAttach.empty()) {
        sendText(m_beforeAttach.front());
        m_beforeAttach.pop_front();
    }
    onAttached();
}

void WsSession::goAway()
{
    if (m_socket && !m_closing) {
        m_closing = true;
        m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("Server is shutting down"));
    }
}

void WsSession::onTextMessage(const QString &text)
{
    touch();
    if (m_closing || m_draining)
        return;
    const QByteArray utf8 = text.toUtf8();
    // Qt's own limit (set above this one, as a hard memory bound) would close with its own words; Jetty's close
    // names the sizes, and clients show that.
    if (utf8.size() > m_config.maxTextFrameBytes) {
        closeWith(Pulsar::CloseCode::TooBig, Pulsar::messageTooBigReason(utf8.size(), m_config.maxTextFrameBytes));
        return;
    }
    handleText(utf8);
}

void WsSession::touch()
{
    // Any frame counts as traffic, like Jetty's idle check; server pings too, as they cause pongs. Restarting a
    // timer per frame costs more than the frame's framing, so only the time is noted and the timer, when it fires,
    // waits again for whatever is left.
    if (m_config.idleTimeoutMs <= 0)
        return;
    m_lastTrafficMs = coarseMonotonicMs();
    if (!m_idleTimer.isActive())
        m_idleTimer.start(int(std::min<qint64>(m_config.idleTimeoutMs, std::numeric_limits<int>::max())));
}

void WsSession::onIdleTimeout()
{
    const qint64 remaining = m_config.idleTimeoutMs - (coarseMonotonicMs() - m_lastTrafficMs);
    if (remaining > 0) {
        m_idleTimer.start(int(std::min<qint64>(remaining, std::numeric_limits<int>::max())));
        return;
    }
    closeWith(Pulsar::CloseCode::GoingAway, Pulsar::idleTimeoutReason(m_config.idleTimeoutMs));
}

void WsSession::sendText(const QByteArray &utf8)
{
    if (!m_socket) {
        m_beforeAttach.push_back(utf8);
        return;
    }
    m_socket->sendTextMessage(QString::fromUtf8(utf8));
    // Sending counts as traffic for the idle timeout, as in Jetty.
    touch();
}

void WsSession::sendTextString(const QString &text)
{
    if (!m_socket) {
        m_beforeAttach.push_back(text.toUtf8());
        return;
    }
    m_socket->sendTextMessage(text);
    touch();
}

bool WsSession::isCongested() const
{
    return m_socket && m_socket->bytesToWrite() > m_config.outgoingHighWaterBytes;
}

void WsSession::abortConnection()
{
    m_closing = true;
    if (m_socket)
        m_socket->abort();
}

void WsSession::closeWith(int code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    if (m_socket)
        m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

// ---- ProducerWsSession ---------------------------------------------------------------------------------

ProducerWsSession::ProducerWsSession(const ServiceConfig &config, std::unique_ptr<ProducerLink> producer,
                                     QList<Pulsar::EncryptionKeyEntry> encryptionKeys, QObject *parent)
    : WsSession(config, parent)
    , m_producer(std::move(producer))
    , m_encryptionKeys(std::move(encryptionKeys))
    , m_alive(std::make_shared<bool>(true))
{}

ProducerWsSession::~ProducerWsSession()
{
    *m_alive = false;
}

void ProducerWsSession::handleText(const QByteArray &utf8)
{
    if (!m_producer)
        return; // closing: the producer is already given back

    Pulsar::ProducerSendDecode decoded = Pulsar::decodeProducerSend(utf8, !m_encryptionKeys.isEmpty(), false);
    switch (decoded.outcome) {
    case Pulsar::ProducerSendDecode::Outcome::ErrorAck:
        sendText(decoded.errorAck().encode());
        return;
    case Pulsar::ProducerSendDecode::Outcome::Close:
        closeWith(decoded.closeCode, decoded.closeReason);
        return;
    case Pulsar::ProducerSendDecode::Outcome::Send:
        break;
    }

    Pulsar::ProducerSend &send = decoded.message;
    auto message = std::make_shared<BrokerMessage>();
    message->payload = std::move(send.payload);
    message->properties = std::move(send.properties);
    message->key = std::move(send.key);
    if (send.replicationClusters)
        message->replicationClusters = *send.replicationClusters;
    message->eventTimeMs = send.eventTimeMs;
    if (!m_encryptionKeys.isEmpty()) {
        // The payload is the client's ciphertext; the keys of the producer and the IV of this message go with it.
        BrokerMessage::Encryption encryption;
        encryption.keys = m_encryptionKeys;
        encryption.param = send.encryptionParam.value_or(QByteArray());
        encryption.compressionType = send.compressionType.value_or(QStringLiteral("NONE"));
        encryption.uncompressedSize = send.uncompressedMessageSize.value_or(int(message->payload.size()));
        message->encryption = std::move(encryption);
    }
    // deliverAfterMs is applied after deliverAt, so it wins when both are set (spec 3.1).
    if (send.deliverAt > 0)
        message->deliverAtMs = send.deliverAt;
    if (send.deliverAfterMs > 0)
        message->deliverAtMs = QDateTime::currentMSecsSinceEpoch() + send.deliverAfterMs;

    std::weak_ptr<bool> alive = m_alive;
    m_producer->send(std::move(message), [this, alive, context = send.context](const PublishResult &result) {
        const auto a = alive.lock();
        if (!a || !*a)
            return; // the session closed before the store answered: no ack, as in Pulsar
        if (result.ok) {
            Pulsar::MessageId id;
            id.ledgerId = result.ledgerId;
            id.entryId = result.entryId;
            id.partition = result.partition;
            sendTextString(Pulsar::ProducerAck::encodeOkText(id.toBase64(), context));
        } else {
            sendText(
                Pulsar::ProducerAck::failure(Pulsar::WebSocketError::UnknownError, result.error, context).encode());
        }
    });
}

// ---- ConsumerWsSession ---------------------------------------------------------------------------------

ConsumerWsSession::ConsumerWsSession(const ServiceConfig &config, Mode mode, int window, bool pullMode,
                                     Pulsar::CryptoFailureAction cryptoFailureAction, QObject *parent)
    : WsSession(config, parent)
    , m_mode(mode)
    , m_window(std::max(1, window))
    , m_pullMode(pullMode)
    , m_cryptoFailureAction(cryptoFailureAction)
{}

ConsumerWsSession::~ConsumerWsSession()
{
    closeConsumers();
}

void ConsumerWsSession::closeConsumers()
{
    m_queue.clear();
    const QList<ConsumerLink *> consumers = std::exchange(m_consumers, {});
    m_byPartition.clear();
    m_byLedger.clear();
    for (ConsumerLink *c : consumers)
        c->close();
}

void ConsumerWsSession::setConsumers(const QList<ConsumerLink *> &consumers)
{
    m_consumers = consumers;
    for (ConsumerLink *c : consumers)
        m_byPartition.insert(c->partitionIndex(), c);
    // Each broker consumer may hold up to a window of messages for this session, like the receiver queue of
    // Pulsar's internal consumer; what reaches the socket is governed by the WebSocket window below.
    for (ConsumerLink *c : consumers)
        c->addPermits(m_window);
}

void ConsumerWsSession::deliver(const Delivery &delivery)
{
    m_queue.push_back(delivery);
    pump();
}

void ConsumerWsSession::detached(ConsumerLink *consumer)
{
    m_consumers.removeAll(consumer);
    for (auto it = m_byPartition.begin(); it != m_byPartition.end();) {
        if (it.value() == consumer)
            it = m_byPartition.erase(it);
        else
            ++it;
    }
    for (auto it = m_byLedger.begin(); it != m_byLedger.end();) {
        if (it.value() == consumer)
            it = m_byLedger.erase(it);
        else
            ++it;
    }
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        if (it->consumer == consumer)
            it = m_queue.erase(it);
        else
            ++it;
    }
}

bool ConsumerWsSession::canPush() const
{
    if (!isAttached() || isCongested())
        return false;
    if (m_pullMode && m_mode == Mode::Consumer)
        return m_credits > 0;
    return m_pushedUnacked < m_window;
}

void ConsumerWsSession::pump()
{
    if (m_pumping)
        return;
    m_pumping = true;
    while (!m_queue.empty() && canPush()) {
        const Delivery delivery = m_queue.front();
        m_queue.pop_front();
        push(delivery);
        // The message left this session's queue: its broker consumer may send one more.
        if (m_consumers.contains(delivery.consumer))
            delivery.consumer->addPermits(1);
    }
    m_pumping = false;
}

bool ConsumerWsSession::push(const Delivery &delivery)
{
    Pulsar::MessageId id;
    id.ledgerId = delivery.ledgerId;
    id.entryId = delivery.entryId;
    id.partition = delivery.partition;
    const QByteArray idBase64 = id.toBase64();
    const BrokerMessage &message = *delivery.message;
    // This service has no key reader, so an end-to-end encrypted message is handled as Pulsar's consumer handles
    // one it cannot decrypt: CONSUME passes it on with its encryptionContext, DISCARD acknowledges and drops it,
    // FAIL holds it back unacknowledged. Readers pass the ciphertext on without the context (spec 3.3).
    Pulsar::EncryptionContext encryptionContext;
    if (message.encryption && m_mode == Mode::Consumer) {
        if (m_cryptoFailureAction == Pulsar::CryptoFailureAction::Discard) {
            delivery.consumer->ack(id);
            return false;
        }
        if (m_cryptoFailureAction == Pulsar::CryptoFailureAction::Fail)
            return false;
        encryptionContext.keys = message.encryption->keys;
        encryptionContext.param = message.encryption->param;
        encryptionContext.compressionType = message.encryption->compressionType;
        encryptionContext.uncompressedMessageSize = message.encryption->uncompressedSize;
    }
    // Messages published in the same millisecond come out one after another, hundreds of them at full rate.
    if (message.publishTimeMs != m_publishTimeMs) {
        m_publishTimeMs = message.publishTimeMs;
        m_publishTimeText = Pulsar::formatPulsarTimeLocal(message.publishTimeMs).toLatin1();
    }
    const QByteArray &publishTime = m_publishTimeText;
    const QByteArray eventTime =
        message.eventTimeMs != 0 ? Pulsar::formatPulsarTimeLocal(message.eventTimeMs).toLatin1() : QByteArray();

    Pulsar::ConsumerMessageView view;
    view.messageIdBase64 = idBase64;
    view.payload = message.payload;
    view.properties = &message.properties;
    view.publishTime = publishTime;
    view.redeliveryCount = delivery.redeliveryCount;
    view.eventTime = eventTime;
    view.key = message.key ? &*message.key : nullptr;
    if (message.encryption && m_mode == Mode::Consumer)
        view.encryptionContext = &encryptionContext;
    sendText(Pulsar::encodeConsumerMessage(view));

    if (m_pullMode && m_mode == Mode::Consumer)
        --m_credits;
    else
        ++m_pushedUnacked;
    if (m_mode == Mode::Consumer && delivery.ledgerId != 0)
        m_byLedger.insert(delivery.ledgerId, delivery.consumer);
    return true;
}

ConsumerLink *ConsumerWsSession::consumerFor(const Pulsar::MessageId &id) const
{
    if (ConsumerLink *consumer = m_byLedger.value(id.ledgerId, nullptr))
        return consumer;
    // A ledger this session has not delivered from (an id from another connection, or made up): the partition
    // still names the consumer.
    if (m_consumers.size() == 1)
        return m_consumers.first();
    return m_byPartition.value(id.partition, nullptr);
}

void ConsumerWsSession::answerEndOfTopic()
{
    // Every topic or partition behind the session must be at its end.
    bool end = !m_consumers.isEmpty();
    for (ConsumerLink *c : std::as_const(m_consumers))
        end = end && c->hasReachedEndOfTopic();
    sendText(Pulsar::EndOfTopicResponse{end}.encode());
}

void ConsumerWsSession::handleText(const QByteArray &utf8)
{
    if (m_mode == Mode::Reader) {
        const Pulsar::ReaderCommandOutcome outcome = Pulsar::decodeReaderCommand(utf8);
        switch (outcome.action) {
        case Pulsar::ReaderCommandOutcome::Action::FreeSlot:
            --m_pushedUnacked;
            pump();
            return;
        case Pulsar::ReaderCommandOutcome::Action::IsEndOfTopic:
            answerEndOfTopic();
            return;
        case Pulsar::ReaderCommandOutcome::Action::FreeSlotAndClose:
            --m_pushedUnacked;
            abortConnection();
            return;
        case Pulsar::ReaderCommandOutcome::Action::Close:
            closeWith(outcome.closeCode, outcome.closeReason);
            return;
        }
        return;
    }

    const Pulsar::ConsumerCommandOutcome outcome = Pulsar::decodeConsumerCommand(utf8);
    switch (outcome.action) {
    case Pulsar::ConsumerCommandOutcome::Action::Ack:
    case Pulsar::ConsumerCommandOutcome::Action::NegativeAck: {
        if (ConsumerLink *consumer = consumerFor(outcome.messageId)) {
            if (outcome.action == Pulsar::ConsumerCommandOutcome::Action::Ack)
                consumer->ack(outcome.messageId);
            else
                consumer->negativeAck(outcome.messageId);
        }
        // The window counter drops for every ack or nack, known id or not (spec 6.4).
        if (!m_pullMode)
            --m_pushedUnacked;
        pump();
        return;
    }
    case Pulsar::ConsumerCommandOutcome::Action::Permit:
        if (m_pullMode) {
            // Pulsar's delivery loop runs once before it checks the credits, so a permit of 0 or less still
            // releases one message when none is outstanding.
            if (outcome.permitMessages <= 0 && m_credits <= 0)
                m_credits = 1;
            else
                m_credits += outcome.permitMessages;
            pump();
        }
        return;
    case Pulsar::ConsumerCommandOutcome::Action::Unsubscribe: {
        for (ConsumerLink *c : std::as_const(m_consumers)) {
            QString error;
            if (!c->unsubscribe(&error)) {
                abortConnection(); // Pulsar closes with status 3, which Jetty turns into a dropped connection
                return;
            }
        }
        m_unsubscribed = true;
        return;
    }
    case Pulsar::ConsumerCommandOutcome::Action::IsEndOfTopic:
        answerEndOfTopic();
        return;
    case Pulsar::ConsumerCommandOutcome::Action::Close:
        if (outcome.closeCode == int(Pulsar::WebSocketError::FailedToDeserializeFromJson) ||
            outcome.closeCode == int(Pulsar::WebSocketError::FailedToSerializeToJson))
            abortConnection();
        else
            closeWith(outcome.closeCode, outcome.closeReason);
        return;
    }
}

} // namespace Proxy
