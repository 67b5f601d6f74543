#pragma once

#include "widgets/panel.h"

#include "client/connectionprofile.h"
#include "protocol/topicname.h"

#include <QMainWindow>
#include <QPointer>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace Pulsar {
class AdminClient;
class LocalService;
class ProfileStore;
class SecretStore;
class Settings;
} // namespace Pulsar

namespace Gui {

class DetachedPanelWindow;
class EventLog;
class PanelTabs;
class ProfileDialog;
class StatsPane;
class TopicBrowser;

// What the main window works with, owned by main() (or by a test, with a temporary settings file, an in-memory
// secret store and a local service on a scratch data directory).
struct AppServices
{
    Pulsar::Settings *settings = nullptr;
    Pulsar::ProfileStore *profiles = nullptr;
    Pulsar::SecretStore *secrets = nullptr;
    Pulsar::LocalService *localService = nullptr;
};

// The main window: the topic browser, the stats pane and the log pane as docks around the panel tabs. It holds the
// active connection (one profile at a time; panels keep the profile they were opened with), opens producer,
// consumer and reader panels, lets their tabs tear off into windows, and restores layout and open panels on the
// next start. It never talks to a socket itself: the panels and the admin client do.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(const AppServices &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Makes `name` the active profile: the Local profile starts the bundled service first when it is not running;
    // a saved profile has its token read from the keychain (or the session) first.
    void connectToProfile(const QString &name);
    // Opens a panel on the active connection. Null (and a log line) when nothing is connected or the name is bad.
    Panel *openPanel(Panel::Kind kind, const Pulsar::TopicName &topic);
    // Moves a panel from its tab into a window of its own, and back.
    void detachPanel(Panel *panel, const QPoint &globalPos = QPoint());
    void attachPanel(Panel *panel);

    EventLog *eventLog() const { return m_log; }
    QList<Panel *> panels() const;
    // The connection panels are opened with; empty serviceUrl while none.
    const Pulsar::ConnectionProfile &activeProfile() const { return m_profile; }
    bool isConnected() const { return m_connected; }
    Pulsar::AdminClient *adminClient() const { return m_admin; }

    // Writes geometry, dock layout and the open panels to the settings (also done when the window closes).
    void saveSession();

Q_SIGNALS:
    // The active connection changed (its admin health check may still be running).
    void connectionChanged();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildDocks();
    void buildToolBar();
    void reloadProfileList();
    void showProfileDialog();
    void onLocalServiceStateChanged();
    void activate(const Pulsar::ConnectionProfile &profile);
    void restorePanels();
    Panel *createPanel(Panel::Kind kind, const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic);
    void addPanelTab(Panel *panel);
    void closePanel(Panel *panel);
    void openFromToolbar(Panel::Kind kind);
    void setConnectionText(const QString &text, bool error = false);

    AppServices m_services;
    EventLog *m_log = nullptr;
    PanelTabs *m_tabs = nullptr;
    TopicBrowser *m_browser = nullptr;
    StatsPane *m_stats = nullptr;
    QTableView *m_logView = nullptr;
    QComboBox *m_profileCombo = nullptr;
    QLineEdit *m_topicEdit = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_localServiceLabel = nullptr;
    QPointer<ProfileDialog> m_profileDialog;
    Pulsar::AdminClient *m_admin = nullptr;
    Pulsar::ConnectionProfile m_profile;
    QString m_pendingProfile; // a profile waiting for the local service or its token
    bool m_connected = false;
    bool m_panelsRestored = false;
    QList<DetachedPanelWindow *> m_detached;
};

} // namespace Gui
