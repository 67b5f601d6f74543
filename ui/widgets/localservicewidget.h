#pragma once

#include "local/localservice.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace Gui {

// The bundled local service at a glance, for the profile dialog's Local page and the main window: its state, its
// URL (selectable, to copy into other clients), its data folder, Start/Stop and the last error. Only reflects and
// drives a Pulsar::LocalService; owns nothing of it.
class LocalServiceWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit LocalServiceWidget(Pulsar::LocalService *service, QWidget *parent = nullptr);

private:
    void refresh();

    QPointer<Pulsar::LocalService> m_service;
    QLabel *m_state = nullptr;
    QLabel *m_url = nullptr;
    QLabel *m_dataDir = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
};

} // namespace Gui
