#include "producersession.h"

#include "protocol/endpoint.h"
#include "protocol/timeformat.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>

Q_LOGGING_CATEGORY(lcProducer, "pulsar.client.producer")

namespace Pulsar {

ProducerSession::ProducerSession(const ConnectionProfile &profile, const TopicName &topic,
                                 const ProducerSettings &settings, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_topic(topic)
    , m_settings(settings)
{
    qRegisterMetaType<Pulsar::SendResult>();
    // The token travels as the profile says (header or query), never through the options.
    m_settings.options.token.reset();
    m_settings.maxInFlight = std::max(1, m_settings.maxInFlight);
    m_settings.maxQueued = std::max(0, m_settings.maxQueued);
    // Contexts only need to be unique among this session's sends; the random part keeps them apart from a
    // previous run's late acks when the caller reuses a producerName.
    m_contextPrefix = QString::number(QRandomGenerator::global()->generate(), 36) + QLatin1Char('-');
    m_clock.start();
    m_channel = new WebSocketChannel(profile, m_settings.channel, this);
    connect(m_channel, &WebSocketChannel::textReceived, this, &ProducerSession::onText);
    connect(m_channel, &WebSocketChannel::connected, this, &ProducerSession::pump);
    connect(m_channel, &WebSocketChannel::writable, this, &ProducerSession::pump);
    connect(m_channel, &WebSocketChannel::disconnected, this, &ProducerSession::onDisconnected);
    connect(m_channel, &WebSocketChannel::statusChanged, this, &ProducerSession::onStatus);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &ProducerSession::checkTimeouts);
}

ProducerSession::~ProducerSession() = default;

void ProducerSession::open()
{
    if (const auto invalid = m_settings.options.validate()) {
        m_channel->abortWith(ClientError::make(ClientErrorCode::InvalidConfiguration,
                                               QStringLiteral("Invalid query params: ") + invalid->message));
        return;
    }
    QueryItems query = m_settings.options.toQueryItems();
    query += m_settings.extraQueryItems;
    const Result<QUrl> url = endpointUrl(m_profile.serviceUrl, Endpoint::producer(m_topic), query);
    if (!url) {
        m_channel->abortWith(ClientError::make(ClientErrorCode::InvalidConfiguration, url.error().message));
        return;
    }
    if (m_settings.options.sendTimeoutMillis > 0)
        m_timeoutTimer.setInterval(std::clamp(m_settings.options.sendTimeoutMillis / 10, 20, 1000));
    m_channel->open(*url);
}

void ProducerSession::close()
{
    m_channel->close(); // onStatus(Closed) fails what is left
}

bool ProducerSession::canSend() const
{
    const ChannelState state = m_channel->state();
    return state != ChannelState::Closed && state != ChannelState::Failed &&
           int(m_inFlight.size() + m_queue.size()) < capacity();
}

SendTicket ProducerSession::send(const OutgoingMessage &message)
{
    SendTicket ticket;
    const ChannelState state = m_channel->state();
    if (state == ChannelState::Closed || state == ChannelState::Failed || state == ChannelState::Idle) {
        ticket.refused = ClientError::make(ClientErrorCode::SessionClosed,
                                           state == ChannelState::Idle ? tr("the producer is not open") : QString());
        return ticket;
    }
    ticket.context = message.context.isEmpty() ? m_contextPrefix + QString::number(++m_sequence, 36) : message.context;
    if (m_inFlight.contains(ticket.context) || m_queuedContexts.contains(ticket.context)) {
        ticket.refused = ClientError::make(ClientErrorCode::DuplicateContext, ticket.context);
        return ticket;
    }
    if (int(m_inFlight.size() + m_queue.size()) >= capacity()) {
        m_full = true;
        ticket.refused =
            ClientError::make(ClientErrorCode::QueueFull,
                              tr("%1 sends in flight and %2 queued").arg(m_inFlight.size()).arg(m_queue.size()));
        return ticket;
    }

    ProducerSend frame;
    frame.payload = message.payload;
    frame.properties = message.properties;
    frame.context = ticket.context;
    frame.key = message.key;
    frame.replicationClusters = message.replicationClusters;
    if (message.eventTimeMs)
        frame.eventTime = formatPulsarTime(*message.eventTimeMs, 0);
    frame.deliverAt = message.deliverAtMs;
    frame.deliverAfterMs = message.deliverAfterMs;

    Pending pending;
    pending.context = ticket.context;
    pending.frame = frame.encode();
    pending.sequence = ++m_sequence;
    if (m_settings.options.sendTimeoutMillis > 0) {
        pending.deadline = m_clock.elapsed() + m_settings.options.sendTimeoutMillis;
        if (!m_timeoutTimer.isActive())
            m_timeoutTimer.start();
    }
    m_queuedContexts.insert(pending.context);
    m_queue.push_back(std::move(pending));
    if (int(m_inFlight.size() + m_queue.size()) >= capacity())
        m_full = true;
    pump();
    return ticket;
}

void ProducerSession::pump()
{
    while (!m_queue.empty() && int(m_inFlight.size()) < m_settings.maxInFlight && m_channel->isWritable()) {
        Pending pending = std::move(m_queue.front());
        m_queue.pop_front();
        m_queuedContexts.remove(pending.context);
        if (!m_channel->sendText(pending.frame)) {
            m_queuedContexts.insert(pending.context);
            m_queue.push_front(std::move(pending));
            break;
        }
        const QString context = pending.context;
        m_inFlight.insert(context, std::move(pending));
    }
}

void ProducerSession::onText(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    const Result<ProducerAck> ack = ProducerAck::decode(utf8);
    if (!ack) {
        qCWarning(lcProducer) << "unreadable frame from" << m_channel->displayUrl() << ack.error().message;
        return;
    }
    if (!ack->context) {
        // Only a frame the server could not parse at all gets an ack without context; ours are always valid JSON.
        qCWarning(lcProducer) << "ack without context:" << ack->result << ack->errorMsg.value_or(QString());
        return;
    }
    const auto it = m_inFlight.find(*ack->context);
    if (it == m_inFlight.end()) {
        // Already reported (timed out, or failed when the connection dropped) or not ours.
        qCDebug(lcProducer) << "ack for a send no longer waiting:" << *ack->context;
        return;
    }
    const Pending pending = std::move(it.value());
    m_inFlight.erase(it);

    SendResult result;
    result.context = pending.context;
    result.possibleDuplicate = pending.resent;
    if (ack->isOk()) {
        result.ok = true;
        result.messageIdBase64 = ack->messageId.value_or(QString());
        const Result<MessageId> id = MessageId::fromBase64(QStringView(result.messageIdBase64));
        if (id)
            result.messageId = *id;
        else
            qCWarning(lcProducer) << "ack with an undecodable message id:" << result.messageIdBase64;
        Q_EMIT sendFinished(result);
    } else {
        ClientError error = ClientError::make(ClientErrorCode::SendFailed);
        error.wireError = ack->failureCode();
        error.serverMessage = ack->errorMsg.value_or(QString());
        report(pending, error);
    }
    pump();
    updateCapacity();
}

void ProducerSession::report(const Pending &pending, const ClientError &error)
{
    SendResult result;
    result.context = pending.context;
    result.ok = false;
    result.possibleDuplicate = pending.resent;
    result.error = error;
    result.errorCode = error.wireError.value_or(WebSocketError::UnknownError);
    result.errorMsg = error.serverMessage.isEmpty() ? error.text() : error.serverMessage;
    Q_EMIT sendFinished(result);
}

void ProducerSession::onDisconnected(const ClientError &reason)
{
    if (m_inFlight.isEmpty())
        return;
    if (m_settings.inFlightPolicy == InFlightPolicy::ResendInFlight) {
        // Back to the head of the queue in their original order, marked: the server may have stored them.
        std::vector<Pending> back;
        back.reserve(size_t(m_inFlight.size()));
        for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it)
            back.push_back(std::move(it.value()));
        m_inFlight.clear();
        std::sort(back.begin(), back.end(), [](const Pending &a, const Pending &b) { return a.sequence < b.sequence; });
        for (auto it = back.rbegin(); it != back.rend(); ++it) {
            it->resent = true;
            m_queuedContexts.insert(it->context);
            m_queue.push_front(std::move(*it));
        }
        return;
    }
    ClientError error = ClientError::make(ClientErrorCode::InFlightLost, reason.detail);
    std::vector<Pending> lost;
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it)
        lost.push_back(std::move(it.value()));
    m_inFlight.clear();
    std::sort(lost.begin(), lost.end(), [](const Pending &a, const Pending &b) { return a.sequence < b.sequence; });
    for (const Pending &pending : lost)
        report(pending, error);
    updateCapacity();
}

void ProducerSession::onStatus(const ChannelStatus &status)
{
    if (status.state == ChannelState::Closed || status.state == ChannelState::Failed) {
        ClientError error =
            status.state == ChannelState::Failed ? status.error : ClientError::make(ClientErrorCode::SessionClosed);
        ClientError inFlight = ClientError::make(ClientErrorCode::InFlightLost, error.detail);
        ClientError queued = ClientError::make(ClientErrorCode::SessionClosed, error.text());
        failAll(inFlight, queued);
    }
    Q_EMIT statusChanged(status);
}

void ProducerSession::failAll(const ClientError &inFlightError, const ClientError &queuedError)
{
    std::vector<Pending> lost;
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it)
        lost.push_back(std::move(it.value()));
    m_inFlight.clear();
    std::sort(lost.begin(), lost.end(), [](const Pending &a, const Pending &b) { return a.sequence < b.sequence; });
    for (const Pending &pending : lost)
        report(pending, inFlightError);
    std::deque<Pending> queued;
    queued.swap(m_queue);
    m_queuedContexts.clear();
    for (const Pending &pending : queued)
        report(pending, queuedError);
    m_timeoutTimer.stop();
}

void ProducerSession::checkTimeouts()
{
    const qint64 now = m_clock.elapsed();
    std::vector<Pending> expired;
    for (auto it = m_inFlight.begin(); it != m_inFlight.end();) {
        if (it->deadline > 0 && it->deadline <= now) {
            expired.push_back(std::move(it.value()));
            it = m_inFlight.erase(it);
        } else {
            ++it;
        }
    }
    std::vector<Pending> expiredQueued;
    for (auto it = m_queue.begin(); it != m_queue.end();) {
        if (it->deadline > 0 && it->deadline <= now) {
            m_queuedContexts.remove(it->context);
            expiredQueued.push_back(std::move(*it));
            it = m_queue.erase(it);
        } else {
            ++it;
        }
    }
    std::sort(expired.begin(), expired.end(),
              [](const Pending &a, const Pending &b) { return a.sequence < b.sequence; });
    for (const Pending &pending : expired)
        report(pending, ClientError::make(ClientErrorCode::SendTimeout,
                                          tr("no ack within %1 ms").arg(m_settings.options.sendTimeoutMillis)));
    for (const Pending &pending : expiredQueued)
        report(pending, ClientError::make(ClientErrorCode::SendTimeout,
                                          tr("not sent within %1 ms; it was never written to the server")
                                              .arg(m_settings.options.sendTimeoutMillis)));
    if (m_inFlight.isEmpty() && m_queue.empty())
        m_timeoutTimer.stop();
    if (!expired.empty() || !expiredQueued.empty()) {
        pump();
        updateCapacity();
    }
}

void ProducerSession::updateCapacity()
{
    if (m_full && canSend()) {
        m_full = false;
        Q_EMIT windowAvailable();
    }
}

} // namespace Pulsar
