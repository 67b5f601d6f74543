#include "localservicewidget.h"

#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Gui {

LocalServiceWidget::LocalServiceWidget(Pulsar::LocalService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
{
    setObjectName(QStringLiteral("localServiceWidget"));
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("localServiceState"));
    m_url = new QLabel(this);
    m_url->setObjectName(QStringLiteral("localServiceUrl"));
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_dataDir = new QLabel(this);
    m_dataDir->setObjectName(QStringLiteral("localServiceDataDir"));
    m_dataDir->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_dataDir->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("localServiceError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: palette(link-visited);"));
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("localServiceStart"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setObjectName(QStringLiteral("localServiceStop"));

    auto *form = new QFormLayout;
    form->addRow(tr("State:"), m_state);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Data folder:"), m_dataDir);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addLayout(buttons);

    if (m_service) {
        connect(m_start, &QPushButton::clicked, m_service, &Pulsar::LocalService::start);
        connect(m_stop, &QPushButton::clicked, m_service, &Pulsar::LocalService::stop);
        connect(m_service, &Pulsar::LocalService::stateChanged, this, &LocalServiceWidget::refresh);
    }
    refresh();
}

void LocalServiceWidget::refresh()
{
    if (!m_service) {
        m_state->setText(tr("Not available"));
        m_url->clear();
        m_dataDir->clear();
        m_error->clear();
        m_start->setEnabled(false);
        m_stop->setEnabled(false);
        return;
    }
    using State = Pulsar::LocalService::State;
    const State state = m_service->state();
    m_state->setText(Pulsar::LocalService::stateText(state));
    m_url->setText(state == State::Running ? m_service->url().toString() : tr("(not running)"));
    m_dataDir->setText(QDir::toNativeSeparators(m_service->dataDir()));
    m_error->setText(m_service->errorText());
    m_error->setVisible(!m_service->errorText().isEmpty());
    m_start->setEnabled(state == State::Stopped || state == State::Failed);
    m_stop->setEnabled(state == State::Starting || state == State::Running);
}

} // namespace Gui
