#include "mainwindow.h"

#include "language.h"

#include "detachedpanelwindow.h"
#include "paneltabs.h"

#include "dialogs/profiledialog.h"
#include "models/eventlog.h"
#include "widgets/consumerpanel.h"
#include "widgets/localservicewidget.h"
#include "widgets/producerpanel.h"
#include "widgets/readerpanel.h"
#include "widgets/statspane.h"
#include "widgets/topicbrowser.h"

#include "admin/adminclient.h"
#include "client/connectiontest.h"
#include "local/localservice.h"
#include "settings/profilestore.h"
#include "settings/settings.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollBar>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

namespace Gui {

namespace {

QString kindKey(Panel::Kind kind)
{
    switch (kind) {
    case Panel::Kind::Producer:
        return QStringLiteral("producer");
    case Panel::Kind::Consumer:
        return QStringLiteral("consumer");
    case Panel::Kind::Reader:
        return QStringLiteral("reader");
    }
    return QString();
}

std::optional<Panel::Kind> kindFromKey(const QString &key)
{
    for (Panel::Kind kind : {Panel::Kind::Producer, Panel::Kind::Consumer, Panel::Kind::Reader}) {
        if (kindKey(kind) == key)
            return kind;
    }
    return std::nullopt;
}

} // namespace

MainWindow::MainWindow(const AppServices &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Pulsar Desk"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/pulsar-desk.svg")));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);

    m_log = new EventLog(m_services.settings->value(Pulsar::Settings::LogCap).toInt(), this);

    m_tabs = new PanelTabs(this);
    m_tabs->setObjectName(QStringLiteral("panelTabs"));
    setCentralWidget(m_tabs);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *panel = qobject_cast<Panel *>(m_tabs->widget(index)))
            closePanel(panel);
    });
    connect(m_tabs, &PanelTabs::detachRequested, this, [this](QWidget *page, const QPoint &globalPos) {
        if (auto *panel = qobject_cast<Panel *>(page))
            detachPanel(panel, globalPos);
    });

    buildDocks();
    buildToolBar();
    buildActions();

    m_connectionLabel = new QLabel(tr("Not connected"), this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_connectionLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_connectionLabel, 1);
    m_localServiceLabel = new QLabel(this);
    m_localServiceLabel->setObjectName(QStringLiteral("localServiceLabel"));
    statusBar()->addPermanentWidget(m_localServiceLabel);

    connect(m_services.localService, &Pulsar::LocalService::stateChanged, this,
            &MainWindow::onLocalServiceStateChanged);
    connect(m_services.localService, &Pulsar::LocalService::logLine, this,
            [this](const QString &line) { m_log->info(tr("Local service"), line); });
    connect(m_services.profiles, &Pulsar::ProfileStore::changed, this, &MainWindow::reloadProfileList);
    reloadProfileList();
    onLocalServiceStateChanged();

    resize(1280, 800);
    // First-run proportions; a saved layout (below) replaces them.
    resizeDocks(
        {findChild<QDockWidget *>(QStringLiteral("topicsDock")), findChild<QDockWidget *>(QStringLiteral("statsDock"))},
        {280, 330}, Qt::Horizontal);
    resizeDocks({findChild<QDockWidget *>(QStringLiteral("logDock"))}, {150}, Qt::Vertical);
    restoreGeometry(m_services.settings->value(Pulsar::Settings::WindowGeometry).toByteArray());
    restoreState(m_services.settings->value(Pulsar::Settings::WindowState).toByteArray());
}

MainWindow::~MainWindow()
{
    for (DetachedPanelWindow *window : std::as_const(m_detached))
        delete window;
}

void MainWindow::buildDocks()
{
    m_browser = new TopicBrowser(m_log, this);
    m_browser->setObjectName(QStringLiteral("topicBrowser"));
    auto *browserDock = new QDockWidget(tr("Topics"), this);
    browserDock->setObjectName(QStringLiteral("topicsDock"));
    browserDock->setWidget(m_browser);
    addDockWidget(Qt::LeftDockWidgetArea, browserDock);

    m_stats = new StatsPane(m_log, this);
    m_stats->setObjectName(QStringLiteral("statsPane"));
    m_stats->setRefreshInterval(m_services.settings->value(Pulsar::Settings::StatsRefreshSeconds).toInt());
    auto *statsDock = new QDockWidget(tr("Topic Stats"), this);
    statsDock->setObjectName(QStringLiteral("statsDock"));
    statsDock->setWidget(m_stats);
    addDockWidget(Qt::RightDockWidgetArea, statsDock);

    m_logView = new QTableView(this);
    m_logView->setObjectName(QStringLiteral("logView"));
    m_logView->setModel(m_log);
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->setWordWrap(false);
    m_logView->verticalHeader()->hide();
    m_logView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_logView->verticalHeader()->setDefaultSectionSize(m_logView->fontMetrics().height() + 6);
    m_logView->horizontalHeader()->setStretchLastSection(true);
    m_logView->setColumnWidth(EventLog::TimeColumn, 100);
    m_logView->setColumnWidth(EventLog::LevelColumn, 70);
    m_logView->setColumnWidth(EventLog::SourceColumn, 260);
    // Follow new entries only while the user is looking at the newest ones.
    connect(m_log, &QAbstractItemModel::rowsAboutToBeInserted, m_logView, [this] {
        QScrollBar *bar = m_logView->verticalScrollBar();
        m_logView->setProperty("followTail", bar->value() == bar->maximum());
    });
    connect(m_log, &QAbstractItemModel::rowsInserted, m_logView, [this] {
        if (m_logView->property("followTail").toBool())
            m_logView->scrollToBottom();
    });
    auto *logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(m_logView);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);

    connect(m_browser, &TopicBrowser::topicSelected, m_stats, &StatsPane::setTopic);
    connect(m_browser, &TopicBrowser::topicSelected, this,
            [this](const Pulsar::TopicName &topic) { m_topicEdit->setText(topic.toString()); });
    connect(m_browser, &TopicBrowser::produceRequested, this,
            [this](const Pulsar::TopicName &topic) { openPanel(Panel::Kind::Producer, topic); });
    connect(m_browser, &TopicBrowser::consumeRequested, this,
            [this](const Pulsar::TopicName &topic) { openPanel(Panel::Kind::Consumer, topic); });
    connect(m_browser, &TopicBrowser::readRequested, this,
            [this](const Pulsar::TopicName &topic) { openPanel(Panel::Kind::Reader, topic); });
}

void MainWindow::buildToolBar()
{
    QToolBar *bar = addToolBar(tr("Connection"));
    bar->setObjectName(QStringLiteral("connectionToolBar"));
    bar->addWidget(new QLabel(tr("Connection:"), bar));
    m_profileCombo = new QComboBox(bar);
    m_profileCombo->setObjectName(QStringLiteral("profileCombo"));
    m_profileCombo->setMinimumContentsLength(14);
    m_profileCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    bar->addWidget(m_profileCombo);
    QAction *connectAction = bar->addAction(tr("Connect"));
    connectAction->setObjectName(QStringLiteral("connectAction"));
    connectAction->setToolTip(tr("Make the chosen profile the active connection"));
    connect(connectAction, &QAction::triggered, this,
            [this] { connectToProfile(m_profileCombo->currentData().toString()); });
    QAction *manage = bar->addAction(tr("Profiles…"));
    manage->setObjectName(QStringLiteral("manageProfilesAction"));
    connect(manage, &QAction::triggered, this, &MainWindow::showProfileDialog);

    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Topic:"), bar));
    m_topicEdit = new QLineEdit(bar);
    m_topicEdit->setObjectName(QStringLiteral("topicEdit"));
    m_topicEdit->setPlaceholderText(tr("persistent://public/default/my-topic"));
    m_topicEdit->setClearButtonEnabled(true);
    m_topicEdit->setMinimumWidth(280);
    bar->addWidget(m_topicEdit);
}

void MainWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *profiles = file->addAction(tr("Connection &Profiles…"), this, &MainWindow::showProfileDialog);
    profiles->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *topic = menuBar()->addMenu(tr("&Topic"));
    QToolBar *bar = findChild<QToolBar *>(QStringLiteral("connectionToolBar"));
    const struct
    {
        Panel::Kind kind;
        QString text;
        QString name;
        QKeySequence shortcut;
        QString tip;
    } opens[] = {
        {Panel::Kind::Producer, tr("&Produce"), QStringLiteral("openProducerAction"),
         QKeySequence(Qt::CTRL | Qt::Key_1), tr("Open a producer on the topic")},
        {Panel::Kind::Consumer, tr("&Consume"), QStringLiteral("openConsumerAction"),
         QKeySequence(Qt::CTRL | Qt::Key_2), tr("Open a consumer on the topic")},
        {Panel::Kind::Reader, tr("&Read"), QStringLiteral("openReaderAction"), QKeySequence(Qt::CTRL | Qt::Key_3),
         tr("Open a reader on the topic")},
    };
    for (const auto &open : opens) {
        QAction *action = topic->addAction(open.text);
        action->setObjectName(open.name);
        action->setShortcut(open.shortcut);
        action->setToolTip(open.tip);
        const Panel::Kind kind = open.kind;
        connect(action, &QAction::triggered, this, [this, kind] { openFromToolbar(kind); });
        bar->addAction(action);
    }

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    QAction *clearLog = view->addAction(tr("Clear &Log"), m_log, &EventLog::clear);
    clearLog->setObjectName(QStringLiteral("clearLogAction"));
    view->addSeparator();
    QMenu *languages = view->addMenu(tr("&Language"));
    languages->setObjectName(QStringLiteral("languageMenu"));
    auto *languageGroup = new QActionGroup(languages);
    const QString chosen = m_services.settings->value(Pulsar::Settings::Language).toString();
    for (const Language::Choice &choice : Language::available()) {
        QAction *action = languages->addAction(choice.displayName);
        action->setCheckable(true);
        action->setChecked(choice.code == chosen);
        action->setData(choice.code);
        languageGroup->addAction(action);
        connect(action, &QAction::triggered, this, [this, choice] {
            m_services.settings->setValue(Pulsar::Settings::Language, choice.code);
            // Every widget would need a LanguageChange handler to switch live; a restart is honest and simple.
            statusBar()->showMessage(tr("%1 is used from the next start.").arg(choice.displayName), 8000);
            m_log->info(tr("Settings"), tr("Language set to %1 (from the next start).").arg(choice.displayName));
        });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Pulsar Desk"), this, [this] {
        auto *box = new QMessageBox(QMessageBox::Information, tr("About Pulsar Desk"),
                                    tr("<b>Pulsar Desk %1</b><p>A native desktop client for Apache Pulsar's WebSocket "
                                       "API, with a bundled local Pulsar-compatible service.</p><p>Apache-2.0</p>")
                                        .arg(QApplication::applicationVersion()),
                                    QMessageBox::Close, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void MainWindow::reloadProfileList()
{
    const QString current = m_profileCombo->currentData().toString();
    m_profileCombo->clear();
    for (const Pulsar::ConnectionProfile &profile : m_services.profiles->profiles())
        m_profileCombo->addItem(profile.name, profile.name);
    const QString wanted =
        current.isEmpty() ? m_services.settings->value(Pulsar::Settings::ActiveProfile).toString() : current;
    const int index = m_profileCombo->findData(wanted);
    m_profileCombo->setCurrentIndex(index >= 0 ? index : 0);
}

void MainWindow::showProfileDialog()
{
    if (!m_profileDialog) {
        m_profileDialog =
            new ProfileDialog(m_services.profiles, m_services.secrets, m_services.localService, m_log, this);
        m_profileDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_profileDialog, &ProfileDialog::connectRequested, this,
                [this](const Pulsar::ConnectionProfile &profile) { activate(profile); });
    }
    m_profileDialog->show();
    m_profileDialog->raise();
    m_profileDialog->activateWindow();
}

void MainWindow::connectToProfile(const QString &name)
{
    m_services.settings->setValue(Pulsar::Settings::ActiveProfile, name);
    const int index = m_profileCombo->findData(name);
    if (index >= 0)
        m_profileCombo->setCurrentIndex(index);
    if (name == Pulsar::ProfileStore::localName()) {
        Pulsar::LocalService *local = m_services.localService;
        if (local->state() == Pulsar::LocalService::State::Running) {
            activate(local->localProfile());
            return;
        }
        m_pendingProfile = name;
        setConnectionText(tr("Starting the local service…"));
        if (local->state() != Pulsar::LocalService::State::Starting)
            local->start();
        return;
    }
    m_pendingProfile = name;
    setConnectionText(tr("Reading the credentials of %1…").arg(name));
    m_services.profiles->resolve(
        m_services.secrets, name, this,
        [this, name](const std::optional<Pulsar::ConnectionProfile> &profile, const QString &error) {
            if (m_pendingProfile != name)
                return; // the user chose another profile meanwhile
            m_pendingProfile.clear();
            if (!profile) {
                setConnectionText(tr("No connection profile named %1.").arg(name), true);
                return;
            }
            if (!error.isEmpty()) {
                // A token profile without its token: the profile dialog asks for it.
                setConnectionText(tr("%1: %2").arg(name, error), true);
                m_log->warning(name, error);
                showProfileDialog();
                m_profileDialog->selectProfile(name);
                return;
            }
            activate(*profile);
        });
}

void MainWindow::onLocalServiceStateChanged()
{
    Pulsar::LocalService *local = m_services.localService;
    switch (local->state()) {
    case Pulsar::LocalService::State::Stopped:
        m_localServiceLabel->setText(tr("Local service: stopped"));
        break;
    case Pulsar::LocalService::State::Starting:
        m_localServiceLabel->setText(tr("Local service: starting…"));
        break;
    case Pulsar::LocalService::State::Running:
        m_localServiceLabel->setText(tr("Local service: %1").arg(local->url().toString()));
        if (m_pendingProfile == Pulsar::ProfileStore::localName()) {
            m_pendingProfile.clear();
            activate(local->localProfile());
        }
        break;
    case Pulsar::LocalService::State::Stopping:
        m_localServiceLabel->setText(tr("Local service: stopping…"));
        break;
    case Pulsar::LocalService::State::Failed:
        m_localServiceLabel->setText(tr("Local service: failed"));
        m_log->error(tr("Local service"), local->errorText());
        if (m_pendingProfile == Pulsar::ProfileStore::localName()) {
            m_pendingProfile.clear();
            setConnectionText(tr("The local service could not start: %1").arg(local->errorText()), true);
        }
        break;
    }
    m_localServiceLabel->setToolTip(tr("Data folder: %1").arg(local->dataDir()));
}

void MainWindow::activate(const Pulsar::ConnectionProfile &profile)
{
    if (const std::optional<Pulsar::ClientError> invalid = profile.validate()) {
        setConnectionText(tr("%1: %2").arg(profile.name, invalid->text()), true);
        m_log->error(profile.name, invalid->text());
        return;
    }
    m_profile = profile;
    m_connected = true;
    // The views move to the new client before the old one (and its calls in flight) goes.
    Pulsar::AdminClient *previous = m_admin;
    m_admin = new Pulsar::AdminClient(Pulsar::adminConnectionFor(profile), this);
    m_browser->setAdminClient(m_admin);
    m_stats->setAdminClient(m_admin);
    delete previous;
    setConnectionText(tr("%1: checking %2…").arg(profile.name, profile.effectiveAdminUrl().toString()));
    m_log->info(profile.name, tr("Connecting to %1").arg(Pulsar::displayUrl(profile.serviceUrl)));
    const QString name = profile.name;
    m_admin->brokerHealth()->then(
        this,
        [this, name](const QString &) {
            if (m_profile.name == name)
                setConnectionText(tr("Connected to %1 (%2)").arg(name, Pulsar::displayUrl(m_profile.serviceUrl)));
        },
        [this, name](const Pulsar::AdminError &error) {
            if (m_profile.name != name)
                return;
            setConnectionText(tr("%1: the admin API did not answer: %2").arg(name, error.message()), true);
            m_log->error(name, error.message());
        });
    Q_EMIT connectionChanged();
    restorePanels();
}

void MainWindow::setConnectionText(const QString &text, bool error)
{
    m_connectionLabel->setText(text);
    m_connectionLabel->setStyleSheet(error ? QStringLiteral("color: #c01c28;") : QString());
}

void MainWindow::openFromToolbar(Panel::Kind kind)
{
    const QString text = m_topicEdit->text().trimmed();
    if (text.isEmpty()) {
        m_log->warning(tr("Topic"), tr("Type a topic name or choose one in the topic browser first."));
        m_topicEdit->setFocus();
        return;
    }
    const Pulsar::Result<Pulsar::TopicName> parsed = Pulsar::TopicName::parse(text);
    if (!parsed.ok()) {
        m_log->error(tr("Topic"), tr("Not a valid topic name: %1").arg(parsed.error().message));
        m_topicEdit->setFocus();
        return;
    }
    openPanel(kind, parsed.value());
}

Panel *MainWindow::openPanel(Panel::Kind kind, const Pulsar::TopicName &topic)
{
    if (!m_connected) {
        m_log->warning(tr("Panels"), tr("Connect to a profile first."));
        return nullptr;
    }
    if (!topic.isValid()) {
        m_log->error(tr("Panels"), tr("No topic chosen."));
        return nullptr;
    }
    Panel *panel = createPanel(kind, m_profile, topic);
    addPanelTab(panel);
    m_tabs->setCurrentWidget(panel);
    return panel;
}

Panel *MainWindow::createPanel(Panel::Kind kind, const Pulsar::ConnectionProfile &profile,
                               const Pulsar::TopicName &topic)
{
    switch (kind) {
    case Panel::Kind::Producer:
        return new ProducerPanel(profile, topic, m_log);
    case Panel::Kind::Consumer: {
        auto *panel = new ConsumerPanel(profile, topic, m_log);
        panel->setMaxRows(m_services.settings->value(Pulsar::Settings::MessageTableCap).toInt());
        return panel;
    }
    case Panel::Kind::Reader: {
        auto *panel = new ReaderPanel(profile, topic, m_log);
        panel->setMaxRows(m_services.settings->value(Pulsar::Settings::MessageTableCap).toInt());
        return panel;
    }
    }
    return nullptr;
}

void MainWindow::addPanelTab(Panel *panel)
{
    const int index = m_tabs->addTab(panel, panel->title());
    m_tabs->setTabToolTip(index, tr("%1 on %2").arg(panel->topic().toString(), panel->profile().name));
    connect(panel, &Panel::titleChanged, this, [this, panel] {
        const int at = m_tabs->indexOf(panel);
        if (at >= 0)
            m_tabs->setTabText(at, panel->title());
    });
}

QList<Panel *> MainWindow::panels() const
{
    QList<Panel *> result;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *panel = qobject_cast<Panel *>(m_tabs->widget(i)))
            result.append(panel);
    }
    for (DetachedPanelWindow *window : m_detached) {
        if (window->panel())
            result.append(window->panel());
    }
    return result;
}

void MainWindow::closePanel(Panel *panel)
{
    panel->shutdown();
    const int index = m_tabs->indexOf(panel);
    if (index >= 0)
        m_tabs->removeTab(index);
    panel->deleteLater();
}

void MainWindow::detachPanel(Panel *panel, const QPoint &globalPos)
{
    const int index = m_tabs->indexOf(panel);
    if (index < 0)
        return;
    const QSize size = m_tabs->currentWidget() ? m_tabs->currentWidget()->size() : QSize(900, 600);
    m_tabs->removeTab(index);
    auto *window = new DetachedPanelWindow(panel);
    m_detached.append(window);
    connect(window, &DetachedPanelWindow::attachRequested, this, &MainWindow::attachPanel);
    connect(window, &DetachedPanelWindow::panelClosed, this, [this](Panel *closed) {
        closed->shutdown();
        closed->deleteLater();
    });
    connect(window, &QObject::destroyed, this, [this, window] { m_detached.removeOne(window); });
    window->resize(size.expandedTo(QSize(640, 420)));
    if (!globalPos.isNull())
        window->move(globalPos - QPoint(40, 20));
    window->show();
}

void MainWindow::attachPanel(Panel *panel)
{
    for (DetachedPanelWindow *window : std::as_const(m_detached)) {
        if (window->panel() == panel) {
            window->takePanel();
            addPanelTab(panel);
            m_tabs->setCurrentWidget(panel);
            return;
        }
    }
}

void MainWindow::saveSession()
{
    Pulsar::Settings *settings = m_services.settings;
    settings->setValue(Pulsar::Settings::WindowGeometry, saveGeometry());
    settings->setValue(Pulsar::Settings::WindowState, saveState());
    QJsonArray open;
    for (Panel *panel : panels()) {
        QJsonObject entry;
        entry[QStringLiteral("kind")] = kindKey(panel->kind());
        entry[QStringLiteral("topic")] = panel->topic().toString();
        entry[QStringLiteral("profile")] = panel->profile().name;
        entry[QStringLiteral("state")] = QString::fromLatin1(panel->saveState().toBase64());
        entry[QStringLiteral("detached")] = m_tabs->indexOf(panel) < 0;
        open.append(entry);
    }
    settings->setValue(Pulsar::Settings::OpenPanels, QJsonDocument(open).toJson(QJsonDocument::Compact));
}

void MainWindow::restorePanels()
{
    // Once per run: the panels of the last session come back when their profile is first connected.
    if (m_panelsRestored)
        return;
    m_panelsRestored = true;
    const QJsonArray open =
        QJsonDocument::fromJson(m_services.settings->value(Pulsar::Settings::OpenPanels).toByteArray()).array();
    for (const QJsonValue &value : open) {
        const QJsonObject entry = value.toObject();
        const std::optional<Panel::Kind> kind = kindFromKey(entry.value(QStringLiteral("kind")).toString());
        const Pulsar::Result<Pulsar::TopicName> topic =
            Pulsar::TopicName::parse(entry.value(QStringLiteral("topic")).toString());
        if (!kind || !topic.ok() || entry.value(QStringLiteral("profile")).toString() != m_profile.name)
            continue;
        Panel *panel = createPanel(*kind, m_profile, topic.value());
        panel->restoreState(QByteArray::fromBase64(entry.value(QStringLiteral("state")).toString().toLatin1()));
        addPanelTab(panel);
        if (entry.value(QStringLiteral("detached")).toBool())
            detachPanel(panel);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSession();
    for (Panel *panel : panels())
        panel->shutdown();
    m_log->flush();
    event->accept();
}

} // namespace Gui
