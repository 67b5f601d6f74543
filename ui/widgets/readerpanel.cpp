#include "readerpanel.h"

#include "messagestreamview.h"

#include "models/eventlog.h"
#include "protocol/messageid.h"

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

const QString kStartEarliest = QStringLiteral("earliest");
const QString kStartLatest = QStringLiteral("latest");
const QString kStartId = QStringLiteral("id");

void selectData(QComboBox *combo, const QString &value)
{
    const int index = combo->findData(value);
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace

ReaderPanel::ReaderPanel(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
                         QWidget *parent)
    : Panel(Kind::Reader, profile, topic, log, parent)
{
    setObjectName(QStringLiteral("readerPanel"));
    auto *layout = new QVBoxLayout(this);
    buildForm();
    layout->addWidget(m_form);

    auto *actions = new QHBoxLayout;
    m_connect = new QPushButton(tr("Connect"), this);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_disconnect = new QPushButton(tr("Disconnect"), this);
    m_disconnect->setObjectName(QStringLiteral("disconnectButton"));
    m_endOfTopic = new QPushButton(tr("End of topic?"), this);
    m_endOfTopic->setObjectName(QStringLiteral("endOfTopicButton"));
    m_endOfTopic->setToolTip(tr("Ask whether the topic is terminated and this reader has read it all"));
    m_endOfTopicLabel = new QLabel(this);
    m_endOfTopicLabel->setObjectName(QStringLiteral("endOfTopicLabel"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    actions->addWidget(m_connect);
    actions->addWidget(m_disconnect);
    actions->addWidget(m_endOfTopic);
    actions->addWidget(m_endOfTopicLabel);
    actions->addWidget(m_status, 1);
    layout->addLayout(actions);

    m_stream = new MessageStreamView(MessageStreamView::Mode::Reader, this);
    layout->addWidget(m_stream, 1);

    connect(m_connect, &QPushButton::clicked, this, &ReaderPanel::connectReader);
    connect(m_disconnect, &QPushButton::clicked, this, &ReaderPanel::disconnectReader);
    connect(m_endOfTopic, &QPushButton::clicked, this, [this] {
        if (m_session && m_session->queryEndOfTopic())
            m_endOfTopicLabel->setText(tr("Asking…"));
        else
            m_endOfTopicLabel->setText(tr("Not connected"));
    });
    connect(m_stream, &MessageStreamView::pauseToggled, this, &ReaderPanel::setPaused);

    setStatusText(tr("Not connected"), false);
    setFormEnabled(true);
}

ReaderPanel::~ReaderPanel()
{
    releaseSession();
}

void ReaderPanel::buildForm()
{
    m_form = new QWidget(this);
    m_form->setObjectName(QStringLiteral("readerForm"));
    auto *outer = new QVBoxLayout(m_form);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    outer->addLayout(form);

    m_start = new QComboBox(m_form);
    m_start->setObjectName(QStringLiteral("startPositionCombo"));
    m_start->addItem(tr("Earliest"), kStartEarliest);
    m_start->addItem(tr("Latest"), kStartLatest);
    m_start->addItem(tr("After message id"), kStartId);
    form->addRow(tr("&Start:"), m_start);
    m_startId = new QLineEdit(m_form);
    m_startId->setObjectName(QStringLiteral("startMessageIdEdit"));
    m_startId->setPlaceholderText(tr("base64 (CAEQAg==) or ledger:entry[:partition[:batch]]"));
    m_startId->setEnabled(false);
    form->addRow(tr("Message &id:"), m_startId);
    connect(m_start, &QComboBox::currentIndexChanged, this,
            [this] { m_startId->setEnabled(m_start->currentData().toString() == kStartId); });
    m_receiverQueueSize = new QSpinBox(m_form);
    m_receiverQueueSize->setObjectName(QStringLiteral("receiverQueueSizeSpin"));
    m_receiverQueueSize->setRange(0, 1000000);
    m_receiverQueueSize->setValue(1000);
    m_receiverQueueSize->setToolTip(tr("Messages the server may push ahead (the WebSocket service caps it at %1)")
                                        .arg(Pulsar::MaxReceiverQueueSize));
    form->addRow(tr("&Receiver queue size:"), m_receiverQueueSize);

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
    m_readerName = new QLineEdit(m_advanced);
    m_readerName->setObjectName(QStringLiteral("readerNameEdit"));
    m_readerName->setPlaceholderText(tr("generated by the broker"));
    advanced->addRow(tr("Reader name:"), m_readerName);
    m_cryptoFailureAction = new QComboBox(m_advanced);
    m_cryptoFailureAction->setObjectName(QStringLiteral("cryptoFailureActionCombo"));
    for (const QString &value : {QStringLiteral("FAIL"), QStringLiteral("DISCARD"), QStringLiteral("CONSUME")})
        m_cryptoFailureAction->addItem(value, value);
    advanced->addRow(tr("On decryption failure:"), m_cryptoFailureAction);
    m_advanced->setVisible(false);
    outer->addWidget(m_advanced);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool shown) {
        m_advanced->setVisible(shown);
        m_advancedToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    });
}

QString ReaderPanel::title() const
{
    return tr("Read %1").arg(topic().localName());
}

void ReaderPanel::addLog(EventLog::Level level, const QString &text)
{
    if (log())
        log()->add(level, logSource(), text);
}

QString ReaderPanel::logSource() const
{
    return tr("Reader %1").arg(topic().toString());
}

MessageTableModel *ReaderPanel::model() const
{
    return m_stream->model();
}

void ReaderPanel::setMaxRows(int rows)
{
    m_stream->model()->setMaxRows(rows);
}

std::optional<QString> ReaderPanel::startMessageId(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *error = tr("Enter the message id to start after.");
        return std::nullopt;
    }
    if (trimmed.contains(QLatin1Char(':'))) {
        const Pulsar::Result<Pulsar::MessageId> id = Pulsar::MessageId::parse(trimmed);
        if (!id) {
            *error = tr("Not a message id (ledger:entry[:partition[:batch]]): %1").arg(id.error().message);
            return std::nullopt;
        }
        return id->toBase64String();
    }
    const Pulsar::Result<Pulsar::MessageId> id = Pulsar::MessageId::fromBase64(QStringView(trimmed));
    if (!id) {
        *error = tr("Not a message id (base64): %1").arg(id.error().message);
        return std::nullopt;
    }
    return trimmed; // as typed: the server decodes exactly what the user copied
}

std::optional<Pulsar::ReaderSettings> ReaderPanel::settingsFromForm(QString *error) const
{
    Pulsar::ReaderSettings settings;
    Pulsar::ReaderOptions &o = settings.options;
    const QString start = m_start->currentData().toString();
    if (start == kStartId) {
        const std::optional<QString> id = startMessageId(m_startId->text(), error);
        if (!id)
            return std::nullopt;
        o.messageId = *id;
    } else {
        o.messageId = start;
    }
    o.receiverQueueSize = m_receiverQueueSize->value();
    if (!m_readerName->text().trimmed().isEmpty())
        o.readerName = m_readerName->text().trimmed();
    o.cryptoFailureAction = *Pulsar::cryptoFailureActionFromString(m_cryptoFailureAction->currentData().toString());
    if (const std::optional<Pulsar::Error> invalid = o.validate()) {
        *error = tr("Invalid option: %1").arg(invalid->message);
        return std::nullopt;
    }
    settings.delivery.maxBatchDelayMs = 40;
    return settings;
}

void ReaderPanel::connectReader()
{
    QString error;
    const std::optional<Pulsar::ReaderSettings> settings = settingsFromForm(&error);
    if (!settings) {
        setStatusText(error, true);
        addLog(EventLog::Level::Error, error);
        return;
    }
    releaseSession();
    m_settings = *settings;
    m_lastMessageId.clear();
    m_paused = false;
    m_stream->setPaused(false);
    m_endOfTopicLabel->clear();
    m_active = true;
    setFormEnabled(false);
    addLog(EventLog::Level::Info, tr("Connecting, start: %1").arg(m_settings.options.messageId));
    open(m_settings);
}

void ReaderPanel::open(const Pulsar::ReaderSettings &settings)
{
    m_session = new Pulsar::ReaderSession(profile(), topic(), settings, this);
    m_session->setObjectName(QStringLiteral("readerSession"));
    connect(m_session, &Pulsar::ReaderSession::statusChanged, this, &ReaderPanel::onStatusChanged);
    connect(m_session, &Pulsar::ReaderSession::messagesReceived, this, &ReaderPanel::onMessages);
    connect(m_session, &Pulsar::ReaderSession::endOfTopicReceived, this, [this](bool end) {
        m_endOfTopicLabel->setText(end ? tr("End of topic: yes, terminated and read to the end")
                                       : tr("End of topic: no, more messages can come"));
    });
    m_session->open();
}

void ReaderPanel::disconnectReader()
{
    if (!m_active)
        return;
    m_active = false;
    releaseSession();
    m_paused = false;
    m_stream->setPaused(false);
    setFormEnabled(true);
    setStatusText(tr("Disconnected"), false);
    addLog(EventLog::Level::Info, tr("Disconnected"));
}

void ReaderPanel::releaseSession()
{
    if (!m_session)
        return;
    Pulsar::ReaderSession *session = m_session;
    m_session = nullptr;
    disconnect(session, nullptr, this, nullptr);
    // A failed session has nothing left to close, and closing it from inside its own Failed signal would delete
    // the channel's handshake probe while the probe is still emitting (WebSocketChannel::close() deletes it
    // directly).
    if (session->status().state != Pulsar::ChannelState::Failed)
        session->close();
    session->deleteLater();
}

void ReaderPanel::shutdown()
{
    m_active = false;
    releaseSession();
    setFormEnabled(true);
}

void ReaderPanel::setFormEnabled(bool enabled)
{
    m_form->setEnabled(enabled);
    m_connect->setEnabled(enabled);
    m_disconnect->setEnabled(!enabled);
    m_endOfTopic->setEnabled(!enabled);
    m_stream->setSessionActive(!enabled);
}

void ReaderPanel::setStatusText(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void ReaderPanel::setPaused(bool paused)
{
    if (m_stream->isPaused() != paused) {
        m_stream->setPaused(paused); // comes back here through pauseToggled
        return;
    }
    if (m_paused == paused || !m_active)
        return;
    m_paused = paused;
    if (paused) {
        releaseSession();
        setStatusText(tr("Paused"), false);
        return;
    }
    Pulsar::ReaderSettings settings = m_settings;
    if (!m_lastMessageId.isEmpty())
        settings.options.messageId = m_lastMessageId; // exclusive: the new reader starts right after it
    open(settings);
}

void ReaderPanel::onStatusChanged(const Pulsar::ChannelStatus &status)
{
    switch (status.state) {
    case Pulsar::ChannelState::Idle:
        setStatusText(tr("Not connected"), false);
        break;
    case Pulsar::ChannelState::Connecting:
        setStatusText(tr("Connecting…"), false);
        break;
    case Pulsar::ChannelState::Connected:
        setStatusText(tr("Connected"), false);
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
        m_active = false;
        releaseSession();
        setFormEnabled(true);
        break;
    }
    }
}

void ReaderPanel::onMessages(const QList<Pulsar::ReceivedMessage> &messages)
{
    if (messages.isEmpty())
        return;
    m_lastMessageId = messages.constLast().message.messageId;
    m_stream->addMessages(messages, MessageTableModel::AckState::NotAcked);
}

QByteArray ReaderPanel::saveState() const
{
    QJsonObject o;
    o.insert(QStringLiteral("start"), m_start->currentData().toString());
    o.insert(QStringLiteral("startMessageId"), m_startId->text());
    o.insert(QStringLiteral("receiverQueueSize"), m_receiverQueueSize->value());
    o.insert(QStringLiteral("readerName"), m_readerName->text());
    o.insert(QStringLiteral("cryptoFailureAction"), m_cryptoFailureAction->currentData().toString());
    o.insert(QStringLiteral("advancedShown"), m_advancedToggle->isChecked());
    o.insert(QStringLiteral("view"), m_stream->saveState());
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void ReaderPanel::restoreState(const QByteArray &state)
{
    const QJsonObject o = QJsonDocument::fromJson(state).object();
    if (o.isEmpty())
        return;
    selectData(m_start, o.value(QLatin1String("start")).toString());
    m_startId->setText(o.value(QLatin1String("startMessageId")).toString());
    if (o.contains(QLatin1String("receiverQueueSize")))
        m_receiverQueueSize->setValue(o.value(QLatin1String("receiverQueueSize")).toInt());
    m_readerName->setText(o.value(QLatin1String("readerName")).toString());
    selectData(m_cryptoFailureAction, o.value(QLatin1String("cryptoFailureAction")).toString());
    m_advancedToggle->setChecked(o.value(QLatin1String("advancedShown")).toBool());
    m_stream->restoreState(o.value(QLatin1String("view")).toObject());
}

} // namespace Gui
