#include "streampanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace Gui {

StreamPanel::StreamPanel(Kind kind, const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic,
                         EventLog *log, QWidget *parent)
    : Panel(kind, profile, topic, log, parent)
{}

void StreamPanel::buildFrame(QWidget *form, MessageStreamView::Mode mode)
{
    m_form = form;
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_form);

    m_actions = new QHBoxLayout;
    m_connect = new QPushButton(tr("Connect"), this);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_disconnect = new QPushButton(tr("Disconnect"), this);
    m_disconnect->setObjectName(QStringLiteral("disconnectButton"));
    m_endOfTopic = new QPushButton(tr("End of topic?"), this);
    m_endOfTopic->setObjectName(QStringLiteral("endOfTopicButton"));
    m_endOfTopicLabel = new QLabel(this);
    m_endOfTopicLabel->setObjectName(QStringLiteral("endOfTopicLabel"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_actions->addWidget(m_connect);
    m_actions->addWidget(m_disconnect);
    m_actions->addWidget(m_endOfTopic);
    m_actions->addWidget(m_endOfTopicLabel);
    m_actions->addWidget(m_status, 1);
    layout->addLayout(m_actions);

    m_stream = new MessageStreamView(mode, this);
    layout->addWidget(m_stream, 1);

    connect(m_endOfTopic, &QPushButton::clicked, this, [this] {
        if (m_endOfTopicQuery && m_endOfTopicQuery())
            m_endOfTopicLabel->setText(tr("Asking…"));
        else
            m_endOfTopicLabel->setText(tr("Not connected"));
    });
    connect(m_stream, &MessageStreamView::pauseToggled, this, &StreamPanel::setPaused);
    setStatusText(tr("Not connected"), false);
}

QFormLayout *StreamPanel::addAdvancedGroup(QVBoxLayout *outer)
{
    QWidget *form = outer->parentWidget();
    m_advancedToggle = new QToolButton(form);
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    outer->addWidget(m_advancedToggle);
    auto *advanced = new QWidget(form);
    advanced->setObjectName(QStringLiteral("advancedGroup"));
    auto *fields = new QFormLayout(advanced);
    advanced->setVisible(false);
    outer->addWidget(advanced);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this, advanced](bool shown) {
        advanced->setVisible(shown);
        m_advancedToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    });
    return fields;
}

void StreamPanel::addSessionButton(QPushButton *button)
{
    m_actions->insertWidget(m_actions->indexOf(m_endOfTopic), button);
    // Made after the row, it would come last in the tab order (after the whole stream view).
    QWidget::setTabOrder(m_disconnect, button);
    m_sessionButtons.append(button);
}

void StreamPanel::setEndOfTopicQuery(std::function<bool()> query, const QString &toolTip, const QString &yesAnswer)
{
    m_endOfTopicQuery = std::move(query);
    m_endOfTopic->setToolTip(toolTip);
    m_endOfTopicYes = yesAnswer;
}

void StreamPanel::showEndOfTopic(bool endOfTopic)
{
    m_endOfTopicLabel->setText(endOfTopic ? m_endOfTopicYes : tr("End of topic: no, more messages can come"));
}

void StreamPanel::clearEndOfTopic()
{
    m_endOfTopicLabel->clear();
}

void StreamPanel::setMaxRows(int rows)
{
    m_stream->model()->setMaxRows(rows);
}

void StreamPanel::setFormEnabled(bool enabled)
{
    m_form->setEnabled(enabled);
    m_connect->setEnabled(enabled);
    m_disconnect->setEnabled(!enabled);
    for (QPushButton *button : std::as_const(m_sessionButtons))
        button->setEnabled(!enabled);
    m_endOfTopic->setEnabled(!enabled);
}

void StreamPanel::setStatusText(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void StreamPanel::reportError(const QString &text)
{
    setStatusText(text, true);
    addLog(EventLog::Level::Error, text);
}

void StreamPanel::reportDisconnected()
{
    setFormEnabled(true);
    setStatusText(tr("Disconnected"), false);
    addLog(EventLog::Level::Info, tr("Disconnected"));
}

void StreamPanel::addLog(EventLog::Level level, const QString &text)
{
    if (log())
        log()->add(level, logSource(), text);
}

void StreamPanel::showChannelStatus(const Pulsar::ChannelStatus &status, bool paused)
{
    switch (status.state) {
    case Pulsar::ChannelState::Idle:
        setStatusText(tr("Not connected"), false);
        break;
    case Pulsar::ChannelState::Connecting:
        setStatusText(tr("Connecting…"), false);
        break;
    case Pulsar::ChannelState::Connected:
        setStatusText(paused ? tr("Connected (paused)") : tr("Connected"), false);
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
    case Pulsar::ChannelState::Failed:
        reportError(status.error.text());
        break;
    }
}

void StreamPanel::saveFrameState(QJsonObject &state) const
{
    state.insert(QStringLiteral("advancedShown"), m_advancedToggle && m_advancedToggle->isChecked());
    state.insert(QStringLiteral("view"), m_stream->saveState());
}

void StreamPanel::restoreFrameState(const QJsonObject &state)
{
    if (m_advancedToggle)
        m_advancedToggle->setChecked(state.value(QLatin1String("advancedShown")).toBool());
    m_stream->restoreState(state.value(QLatin1String("view")).toObject());
}

QComboBox *StreamPanel::enumCombo(const QString &name, const QStringList &values, QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(name);
    for (const QString &value : values)
        combo->addItem(value, value);
    return combo;
}

QSpinBox *StreamPanel::spin(const QString &name, int min, int max, int value, QWidget *parent, const QString &suffix)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(min, max);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

void StreamPanel::selectData(QComboBox *combo, const QString &value)
{
    const int index = combo->findData(value);
    if (index >= 0)
        combo->setCurrentIndex(index);
}

QComboBox *StreamPanel::addCryptoFailureActionRow(QFormLayout *advanced)
{
    QComboBox *combo = enumCombo(QStringLiteral("cryptoFailureActionCombo"),
                                 {QStringLiteral("FAIL"), QStringLiteral("DISCARD"), QStringLiteral("CONSUME")},
                                 advanced->parentWidget());
    advanced->addRow(tr("On decryption failure:"), combo);
    return combo;
}

} // namespace Gui
