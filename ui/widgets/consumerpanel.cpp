#include "consumerpanel.h"

#include "messagestreamview.h"

#include "models/eventlog.h"
#include "protocol/endpoint.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace Gui {

namespace {

QComboBox *enumCombo(const QString &name, const QStringList &values, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(name);
    for (const QString &value : values)
        combo->addItem(value, value); // Pulsar's own names: what the docs and the query use
    return combo;
}

QSpinBox *spin(const QString &name, int min, int max, int value, QWidget *parent, const QString &suffix = QString())
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(min, max);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

void selectData(QComboBox *combo, const QString &value)
{
    const int index = combo->findData(value);
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace

ConsumerPanel::ConsumerPanel(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
                             QWidget *parent)
    : Panel(Kind::Consumer, profile, topic, log, parent)
{
    setObjectName(QStringLiteral("consumerPanel"));
    auto *layout = new QVBoxLayout(this);
    buildForm();
    layout->addWidget(m_form);

    auto *actions = new QHBoxLayout;
    m_connect = new QPushButton(tr("Connect"), this);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_disconnect = new QPushButton(tr("Disconnect"), this);
    m_disconnect->setObjectName(QStringLiteral("disconnectButton"));
    m_unsubscribe = new QPushButton(tr("Unsubscribe"), this);
    m_unsubscribe->setObjectName(QStringLiteral("unsubscribeButton"));
    m_unsubscribe->setToolTip(tr("Delete the subscription on the server (its backlog and cursor go with it)"));
    m_endOfTopic = new QPushButton(tr("End of topic?"), this);
    m_endOfTopic->setObjectName(QStringLiteral("endOfTopicButton"));
    m_endOfTopic->setToolTip(tr("Ask whether the topic is terminated and every message was delivered"));
    m_endOfTopicLabel = new QLabel(this);
    m_endOfTopicLabel->setObjectName(QStringLiteral("endOfTopicLabel"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    actions->addWidget(m_connect);
    actions->addWidget(m_disconnect);
    actions->addWidget(m_unsubscribe);
    actions->addWidget(m_endOfTopic);
    actions->addWidget(m_endOfTopicLabel);
    actions->addWidget(m_status, 1);
    layout->addLayout(actions);

    m_stream = new MessageStreamView(MessageStreamView::Mode::Consumer, this);
    layout->addWidget(m_stream, 1);
    m_stream->setPendingSource([this] { return m_session ? m_session->unackedCount() : 0; });

    connect(m_connect, &QPushButton::clicked, this, &ConsumerPanel::connectConsumer);
    connect(m_disconnect, &QPushButton::clicked, this, &ConsumerPanel::disconnectConsumer);
    connect(m_unsubscribe, &QPushButton::clicked, this, [this] {
        if (!m_session || !m_session->unsubscribe())
            setStatusText(tr("Unsubscribe needs a connected consumer."), true);
        else
            setStatusText(tr("Unsubscribing…"), false);
    });
    connect(m_endOfTopic, &QPushButton::clicked, this, [this] {
        if (m_session && m_session->queryEndOfTopic())
            m_endOfTopicLabel->setText(tr("Asking…"));
        else
            m_endOfTopicLabel->setText(tr("Not connected"));
    });
    connect(m_stream, &MessageStreamView::ackRequested, this, &ConsumerPanel::ackRows);
    connect(m_stream, &MessageStreamView::nackRequested, this, &ConsumerPanel::nackRows);
    connect(m_stream, &MessageStreamView::pauseToggled, this, &ConsumerPanel::setPaused);
    connect(m_stream, &MessageStreamView::autoAckToggled, this, &ConsumerPanel::onAutoAckToggled);

    setStatusText(tr("Not connected"), false);
    setFormEnabled(true);
}

ConsumerPanel::~ConsumerPanel()
{
    releaseSession();
}

void ConsumerPanel::buildForm()
{
    m_form = new QWidget(this);
    m_form->setObjectName(QStringLiteral("consumerForm"));
    auto *outer = new QVBoxLayout(m_form);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    outer->addLayout(form);

    m_subscription = new QLineEdit(QStringLiteral("pulsar-desk"), m_form);
    m_subscription->setObjectName(QStringLiteral("subscriptionEdit"));
    form->addRow(tr("&Subscription:"), m_subscription);
    m_type = enumCombo(QStringLiteral("subscriptionTypeCombo"),
                       {QStringLiteral("Exclusive"), QStringLiteral("Shared"), QStringLiteral("Failover"),
                        QStringLiteral("Key_Shared")},
                       m_form);
    form->addRow(tr("&Type:"), m_type);
    m_mode = enumCombo(QStringLiteral("subscriptionModeCombo"),
                       {QStringLiteral("Durable"), QStringLiteral("NonDurable")}, m_form);
    m_mode->setToolTip(tr("NonDurable: the subscription disappears when the consumer disconnects"));
    form->addRow(tr("&Mode:"), m_mode);
    m_initialPosition = enumCombo(QStringLiteral("initialPositionCombo"),
                                  {QStringLiteral("Latest"), QStringLiteral("Earliest")}, m_form);
    m_initialPosition->setToolTip(tr("Where a new subscription starts; an existing one keeps its position"));
    form->addRow(tr("&Initial position:"), m_initialPosition);
    m_receiverQueueSize = spin(QStringLiteral("receiverQueueSizeSpin"), 0, 1000000, 1000, m_form);
    m_receiverQueueSize->setToolTip(tr("Messages the server may push before they are acked (the WebSocket "
                                       "service caps it at %1)")
                                        .arg(Pulsar::MaxReceiverQueueSize));
    form->addRow(tr("&Receiver queue size:"), m_receiverQueueSize);
    m_consumerName = new QLineEdit(m_form);
    m_consumerName->setObjectName(QStringLiteral("consumerNameEdit"));
    m_consumerName->setPlaceholderText(tr("generated by the broker"));
    form->addRow(tr("Consumer &name:"), m_consumerName);

    m_advancedToggle = new QToolButton(m_form);
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    outer->addWidget(m_advancedToggle);
    m_advanced = new QWidget(m_form);
    m_advanced->setObjectName(QStringLiteral("advancedGroup"));
    auto *advanced = new QFormLayout(m_advanced);
    m_ackTimeout = spin(QStringLiteral("ackTimeoutSpin"), 0, 86400000, 0, m_advanced, tr(" ms"));
    m_ackTimeout->setSpecialValueText(tr("off"));
    m_ackTimeout->setToolTip(tr("Redeliver a message not acked within this time (0 = off, else at least 1000 ms)"));
    advanced->addRow(tr("Ack timeout:"), m_ackTimeout);
    m_negativeAckDelay = spin(QStringLiteral("negativeAckDelaySpin"), 0, 86400000, 60000, m_advanced, tr(" ms"));
    advanced->addRow(tr("Negative-ack redelivery delay:"), m_negativeAckDelay);
    m_maxRedeliverCount = spin(QStringLiteral("maxRedeliverCountSpin"), 0, 1000000, 0, m_advanced);
    m_maxRedeliverCount->setSpecialValueText(tr("no dead-letter queue"));
    m_maxRedeliverCount->setToolTip(tr("After this many redeliveries a message goes to the dead-letter topic"));
    advanced->addRow(tr("Max redeliver count:"), m_maxRedeliverCount);
    m_deadLetterTopic = new QLineEdit(m_advanced);
    m_deadLetterTopic->setObjectName(QStringLiteral("deadLetterTopicEdit"));
    m_deadLetterTopic->setPlaceholderText(tr("<topic>-<subscription>-DLQ"));
    advanced->addRow(tr("Dead-letter topic:"), m_deadLetterTopic);
    m_priorityLevel = spin(QStringLiteral("priorityLevelSpin"), 0, 1000000, 0, m_advanced);
    m_priorityLevel->setToolTip(tr("Shared subscriptions: lower values are served first"));
    advanced->addRow(tr("Priority level:"), m_priorityLevel);
    m_pullMode = new QCheckBox(tr("Pull mode (permits)"), m_advanced);
    m_pullMode->setObjectName(QStringLiteral("pullModeCheck"));
    m_pullMode->setToolTip(tr("The server sends only as many messages as the panel asks for"));
    advanced->addRow(QString(), m_pullMode);
    m_cryptoFailureAction =
        enumCombo(QStringLiteral("cryptoFailureActionCombo"),
                  {QStringLiteral("FAIL"), QStringLiteral("DISCARD"), QStringLiteral("CONSUME")}, m_advanced);
    advanced->addRow(tr("On decryption failure:"), m_cryptoFailureAction);
    m_advanced->setVisible(false);
    outer->addWidget(m_advanced);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool shown) {
        m_advanced->setVisible(shown);
        m_advancedToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    });
}

QString ConsumerPanel::title() const
{
    return tr("Consume %1").arg(topic().localName());
}

void ConsumerPanel::addLog(EventLog::Level level, const QString &text)
{
    if (log())
        log()->add(level, logSource(), text);
}

QString ConsumerPanel::logSource() const
{
    return tr("Consumer %1").arg(topic().toString());
}

MessageTableModel *ConsumerPanel::model() const
{
    return m_stream->model();
}

void ConsumerPanel::setMaxRows(int rows)
{
    m_stream->model()->setMaxRows(rows);
}

std::optional<Pulsar::ConsumerSettings> ConsumerPanel::settingsFromForm(QString *error) const
{
    Pulsar::ConsumerSettings settings;
    Pulsar::ConsumerOptions &o = settings.options;
    if (m_subscription->text().trimmed().isEmpty()) {
        *error = tr("Enter a subscription name.");
        return std::nullopt;
    }
    o.subscriptionType = *Pulsar::subscriptionTypeFromString(m_type->currentData().toString());
    o.subscriptionMode = *Pulsar::subscriptionModeFromString(m_mode->currentData().toString());
    o.subscriptionInitialPosition = *Pulsar::initialPositionFromString(m_initialPosition->currentData().toString());
    o.receiverQueueSize = m_receiverQueueSize->value();
    if (!m_consumerName->text().trimmed().isEmpty())
        o.consumerName = m_consumerName->text().trimmed();
    o.ackTimeoutMillis = m_ackTimeout->value();
    o.negativeAckRedeliveryDelay = m_negativeAckDelay->value();
    if (m_maxRedeliverCount->value() > 0)
        o.maxRedeliverCount = m_maxRedeliverCount->value();
    if (!m_deadLetterTopic->text().trimmed().isEmpty())
        o.deadLetterTopic = m_deadLetterTopic->text().trimmed();
    o.priorityLevel = m_priorityLevel->value();
    o.pullMode = m_pullMode->isChecked();
    o.cryptoFailureAction = *Pulsar::cryptoFailureActionFromString(m_cryptoFailureAction->currentData().toString());
    if (const std::optional<Pulsar::Error> invalid = o.validate()) {
        *error = tr("Invalid option: %1").arg(invalid->message);
        return std::nullopt;
    }
    // Acks are the panel's (so that pause can hold them back), never the session's.
    settings.autoAck = false;
    settings.delivery.maxBatchDelayMs = 40;
    return settings;
}

void ConsumerPanel::connectConsumer()
{
    QString error;
    const std::optional<Pulsar::ConsumerSettings> settings = settingsFromForm(&error);
    if (!settings) {
        setStatusText(error, true);
        addLog(EventLog::Level::Error, error);
        return;
    }
    releaseSession();
    m_paused = false;
    m_heldAcks.clear();
    m_withheldPermits = 0;
    m_stream->setPaused(false);
    m_endOfTopicLabel->clear();

    const QString subscription = m_subscription->text().trimmed();
    m_session =
        new Pulsar::ConsumerSession(profile(), Pulsar::Endpoint::consumer(topic(), subscription), *settings, this);
    m_session->setObjectName(QStringLiteral("consumerSession"));
    connect(m_session, &Pulsar::ConsumerSession::statusChanged, this, &ConsumerPanel::onStatusChanged);
    connect(m_session, &Pulsar::ConsumerSession::messagesReceived, this, &ConsumerPanel::onMessages);
    connect(m_session, &Pulsar::ConsumerSession::endOfTopicReceived, this, [this](bool end) {
        m_endOfTopicLabel->setText(end ? tr("End of topic: yes, terminated and fully delivered")
                                       : tr("End of topic: no, more messages can come"));
    });
    connect(m_session, &Pulsar::ConsumerSession::unsubscribed, this, [this] {
        const QString text = tr("Unsubscribed: subscription %1 deleted.").arg(m_subscription->text().trimmed());
        addLog(EventLog::Level::Info, text);
        releaseSession();
        setFormEnabled(true);
        setStatusText(text, false);
    });
    connect(m_session, &Pulsar::ConsumerSession::unsubscribeFailed, this, [this](const Pulsar::ClientError &e) {
        const QString text = tr("Unsubscribe failed: %1").arg(e.text());
        addLog(EventLog::Level::Error, text);
        setStatusText(text, true);
    });
    m_pullModeActive = settings->options.pullMode;
    m_window = std::max(1, settings->options.effectiveReceiverQueueSize());
    setFormEnabled(false);
    addLog(EventLog::Level::Info, tr("Connecting to subscription %1").arg(subscription));
    m_session->open();
    // The session keeps unused credits across reconnects, so the window is asked for once.
    if (m_pullModeActive)
        m_session->permit(m_window);
}

void ConsumerPanel::disconnectConsumer()
{
    if (!m_session)
        return;
    releaseSession();
    setFormEnabled(true);
    setStatusText(tr("Disconnected"), false);
    addLog(EventLog::Level::Info, tr("Disconnected"));
}

void ConsumerPanel::releaseSession()
{
    if (!m_session)
        return;
    Pulsar::ConsumerSession *session = m_session;
    m_session = nullptr;
    disconnect(session, nullptr, this, nullptr);
    // A failed session has nothing left to close, and closing it from inside its own Failed signal would delete
    // the channel's handshake probe while the probe is still emitting (WebSocketChannel::close() deletes it
    // directly).
    if (session->status().state != Pulsar::ChannelState::Failed)
        session->close();
    session->deleteLater();
    m_stream->setSessionActive(false);
}

void ConsumerPanel::shutdown()
{
    releaseSession();
    setFormEnabled(true);
}

void ConsumerPanel::setFormEnabled(bool enabled)
{
    m_form->setEnabled(enabled);
    m_connect->setEnabled(enabled);
    m_disconnect->setEnabled(!enabled);
    m_unsubscribe->setEnabled(!enabled);
    m_endOfTopic->setEnabled(!enabled);
}

void ConsumerPanel::setStatusText(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void ConsumerPanel::onStatusChanged(const Pulsar::ChannelStatus &status)
{
    switch (status.state) {
    case Pulsar::ChannelState::Idle:
        setStatusText(tr("Not connected"), false);
        break;
    case Pulsar::ChannelState::Connecting:
        setStatusText(tr("Connecting…"), false);
        break;
    case Pulsar::ChannelState::Connected:
        setStatusText(m_paused ? tr("Connected (paused)") : tr("Connected"), false);
        m_stream->setSessionActive(true);
        addLog(EventLog::Level::Info, tr("Connected"));
        break;
    case Pulsar::ChannelState::Reconnecting: {
        const QString text = tr("Connection lost: %1. Reconnecting in %2 s (attempt %3)…")
                                 .arg(status.error.text())
                                 .arg(double(status.reconnectDelayMs) / 1000.0, 0, 'f', 1)
                                 .arg(status.attempt);
        setStatusText(text, true);
        addLog(EventLog::Level::Warning, text);
        break;
    }
    case Pulsar::ChannelState::Closed:
        setStatusText(tr("Disconnected"), false);
        break;
    case Pulsar::ChannelState::Failed: {
        const QString text = status.error.text();
        setStatusText(text, true);
        addLog(EventLog::Level::Error, text);
        // The session gave up: the form is editable again so the user can fix what the server refused.
        releaseSession();
        setFormEnabled(true);
        break;
    }
    }
}

void ConsumerPanel::onMessages(const QList<Pulsar::ReceivedMessage> &messages)
{
    if (!m_session)
        return;
    const bool autoAck = m_stream->autoAck();
    if (autoAck && !m_paused) {
        QStringList ids;
        ids.reserve(messages.size());
        for (const Pulsar::ReceivedMessage &m : messages)
            ids.append(m.message.messageId);
        m_session->ack(ids);
        m_stream->countAcked(int(ids.size()));
        m_stream->addMessages(messages, MessageTableModel::AckState::Acked);
    } else {
        if (autoAck) {
            for (const Pulsar::ReceivedMessage &m : messages)
                m_heldAcks.append(m.message.messageId);
        }
        m_stream->addMessages(messages, MessageTableModel::AckState::Pending);
    }
    if (m_pullModeActive) {
        if (m_paused)
            m_withheldPermits += int(messages.size());
        else
            m_session->permit(int(messages.size()));
    }
}

void ConsumerPanel::ackRows(const QList<int> &rows)
{
    if (!m_session)
        return;
    MessageTableModel *table = model();
    QStringList ids;
    QList<int> changed;
    for (int row : rows) {
        if (table->ackState(row) != MessageTableModel::AckState::Pending)
            continue; // acked or nacked already: Pulsar has its answer for this delivery
        ids.append(table->messageIdText(row));
        changed.append(row);
    }
    if (ids.isEmpty())
        return;
    m_session->ack(ids);
    for (const QString &id : std::as_const(ids))
        m_heldAcks.removeOne(id);
    m_stream->countAcked(int(ids.size()));
    table->setAckState(changed, MessageTableModel::AckState::Acked);
}

void ConsumerPanel::nackRows(const QList<int> &rows)
{
    if (!m_session)
        return;
    MessageTableModel *table = model();
    QList<int> changed;
    for (int row : rows) {
        if (table->ackState(row) != MessageTableModel::AckState::Pending)
            continue;
        const QString id = table->messageIdText(row);
        m_session->negativeAck(id);
        m_heldAcks.removeOne(id);
        changed.append(row);
    }
    table->setAckState(changed, MessageTableModel::AckState::Nacked);
}

void ConsumerPanel::setPaused(bool paused)
{
    if (m_stream->isPaused() != paused) {
        m_stream->setPaused(paused); // comes back here through pauseToggled
        return;
    }
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!m_session)
        return;
    if (paused) {
        setStatusText(tr("Connected (paused)"), false);
        return;
    }
    setStatusText(tr("Connected"), false);
    if (!m_heldAcks.isEmpty()) {
        const QStringList held = std::exchange(m_heldAcks, QStringList());
        if (m_stream->autoAck()) {
            m_session->ack(held);
            m_stream->countAcked(int(held.size()));
            model()->setAckStateByIds(held, MessageTableModel::AckState::Acked);
        }
    }
    if (m_pullModeActive && m_withheldPermits > 0)
        m_session->permit(std::exchange(m_withheldPermits, 0));
}

void ConsumerPanel::onAutoAckToggled(bool on)
{
    if (!on) {
        m_heldAcks.clear();
        return;
    }
    if (!m_session || m_paused)
        return;
    // Turning auto-ack on acks what is waiting too; otherwise a full push window would keep the stream stopped.
    QStringList ids;
    for (const Pulsar::UnackedMessage &m : m_session->unacked())
        ids.append(m.messageIdText);
    if (ids.isEmpty())
        return;
    m_session->ack(ids);
    m_stream->countAcked(int(ids.size()));
    model()->setAckStateByIds(ids, MessageTableModel::AckState::Acked);
}

QByteArray ConsumerPanel::saveState() const
{
    QJsonObject o;
    o.insert(QStringLiteral("subscription"), m_subscription->text());
    o.insert(QStringLiteral("subscriptionType"), m_type->currentData().toString());
    o.insert(QStringLiteral("subscriptionMode"), m_mode->currentData().toString());
    o.insert(QStringLiteral("initialPosition"), m_initialPosition->currentData().toString());
    o.insert(QStringLiteral("receiverQueueSize"), m_receiverQueueSize->value());
    o.insert(QStringLiteral("consumerName"), m_consumerName->text());
    o.insert(QStringLiteral("ackTimeoutMillis"), m_ackTimeout->value());
    o.insert(QStringLiteral("negativeAckRedeliveryDelay"), m_negativeAckDelay->value());
    o.insert(QStringLiteral("maxRedeliverCount"), m_maxRedeliverCount->value());
    o.insert(QStringLiteral("deadLetterTopic"), m_deadLetterTopic->text());
    o.insert(QStringLiteral("priorityLevel"), m_priorityLevel->value());
    o.insert(QStringLiteral("pullMode"), m_pullMode->isChecked());
    o.insert(QStringLiteral("cryptoFailureAction"), m_cryptoFailureAction->currentData().toString());
    o.insert(QStringLiteral("advancedShown"), m_advancedToggle->isChecked());
    o.insert(QStringLiteral("view"), m_stream->saveState());
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void ConsumerPanel::restoreState(const QByteArray &state)
{
    const QJsonObject o = QJsonDocument::fromJson(state).object();
    if (o.isEmpty())
        return;
    const auto text = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    const auto number = [&o](const char *key, QSpinBox *box) {
        if (o.contains(QLatin1String(key)))
            box->setValue(o.value(QLatin1String(key)).toInt());
    };
    if (o.contains(QLatin1String("subscription")))
        m_subscription->setText(text("subscription"));
    selectData(m_type, text("subscriptionType"));
    selectData(m_mode, text("subscriptionMode"));
    selectData(m_initialPosition, text("initialPosition"));
    number("receiverQueueSize", m_receiverQueueSize);
    m_consumerName->setText(text("consumerName"));
    number("ackTimeoutMillis", m_ackTimeout);
    number("negativeAckRedeliveryDelay", m_negativeAckDelay);
    number("maxRedeliverCount", m_maxRedeliverCount);
    m_deadLetterTopic->setText(text("deadLetterTopic"));
    number("priorityLevel", m_priorityLevel);
    m_pullMode->setChecked(o.value(QLatin1String("pullMode")).toBool());
    selectData(m_cryptoFailureAction, text("cryptoFailureAction"));
    m_advancedToggle->setChecked(o.value(QLatin1String("advancedShown")).toBool());
    m_stream->restoreState(o.value(QLatin1String("view")).toObject());
}

} // namespace Gui
