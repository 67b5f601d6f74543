#include "widgets/producerpanel.h"

#include "models/eventlog.h"
#include "models/propertiesmodel.h"
#include "models/sendresultmodel.h"
#include "protocol/topicname.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <memory>

namespace Gui {

namespace {

// One tick of "Send N" every 20 ms (50 Hz), at most this many sends per tick: 50k msgs/s from the GUI thread
// is far above what a person needs and keeps each tick short.
constexpr int kBulkTickMs = 20;
constexpr int kMaxSendsPerTick = 1000;
constexpr int kMaxSendCount = 1000000;
// The composer text is saved with the panel only up to this size; a bigger payload is not a form value.
constexpr int kMaxSavedPayloadChars = 256 * 1024;
constexpr int kValidateDelayMs = 150;
constexpr int kFailureReportMs = 200;

QString modeName(PayloadMode mode)
{
    switch (mode) {
    case PayloadMode::Text:
        return QStringLiteral("text");
    case PayloadMode::Json:
        return QStringLiteral("json");
    case PayloadMode::Hex:
        return QStringLiteral("hex");
    case PayloadMode::Base64:
        return QStringLiteral("base64");
    case PayloadMode::File:
        return QStringLiteral("file");
    }
    return {};
}

QSpinBox *makeSpin(const QString &name, int minimum, int maximum, int value, const QString &suffix = QString())
{
    auto *spin = new QSpinBox;
    spin->setObjectName(name);
    spin->setRange(minimum, maximum);
    spin->setValue(value);
    spin->setSuffix(suffix);
    spin->setAccelerated(true);
    return spin;
}

QComboBox *makeCombo(const QString &name, const QStringList &javaNames, const QString &current)
{
    auto *combo = new QComboBox;
    combo->setObjectName(name);
    // The item text is the Java enum name: it is what the user finds in Pulsar's documentation.
    for (const QString &javaName : javaNames)
        combo->addItem(javaName, javaName);
    combo->setCurrentIndex(combo->findData(current));
    return combo;
}

void selectData(QComboBox *combo, const QJsonValue &value)
{
    if (!value.isString())
        return;
    const int index = combo->findData(value.toString());
    if (index >= 0)
        combo->setCurrentIndex(index);
}

QJsonArray columnWidths(const QTableView *view)
{
    QJsonArray widths;
    const QHeaderView *header = view->horizontalHeader();
    for (int i = 0; i < header->count(); ++i)
        widths.append(header->sectionSize(i));
    return widths;
}

void restoreColumnWidths(QTableView *view, const QJsonValue &value)
{
    const QJsonArray widths = value.toArray();
    QHeaderView *header = view->horizontalHeader();
    for (int i = 0; i < widths.size() && i < header->count(); ++i) {
        const int width = widths.at(i).toInt();
        if (width > 0 && width < 10000)
            header->resizeSection(i, width);
    }
}

void setupTable(QTableView *view)
{
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    // Fixed row heights and interactive sections: no per-row measuring on live data.
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->horizontalHeader()->setStretchLastSection(true);
}

} // namespace

ProducerPanel::ProducerPanel(const Pulsar::ConnectionProfile &profile, const Pulsar::TopicName &topic, EventLog *log,
                             QWidget *parent)
    : Panel(Kind::Producer, profile, topic, log, parent)
    , m_properties(new PropertiesModel(this))
    , m_results(new SendResultModel(SendResultModel::DefaultMaxRows, this))
{
    setObjectName(QStringLiteral("producerPanel"));
    qRegisterMetaType<Pulsar::SendResult>();
    qRegisterMetaType<Pulsar::ChannelStatus>();

    m_validateTimer.setSingleShot(true);
    m_validateTimer.setInterval(kValidateDelayMs);
    connect(&m_validateTimer, &QTimer::timeout, this, &ProducerPanel::validatePayload);
    m_bulkTimer.setInterval(kBulkTickMs);
    connect(&m_bulkTimer, &QTimer::timeout, this, &ProducerPanel::onBulkTick);
    m_failureTimer.setSingleShot(true);
    m_failureTimer.setInterval(kFailureReportMs);
    connect(&m_failureTimer, &QTimer::timeout, this, &ProducerPanel::flushFailures);

    buildUi();
    onPayloadModeChanged();
    setStatus(tr("Not connected"), false);
    updateControls();
}

ProducerPanel::~ProducerPanel()
{
    // The session is a child: keep its last signals (close fails what is waiting) from reaching a half-destroyed
    // panel.
    if (m_session) {
        disconnect(m_session, nullptr, this, nullptr);
        delete m_session.data();
    }
}

QString ProducerPanel::title() const
{
    return tr("Produce %1").arg(topic().localName());
}

// ---------------------------------------------------------------------------------------------------------------
// The form

void ProducerPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);

    auto *connectionRow = new QHBoxLayout;
    m_connect = new QPushButton(tr("Connect"));
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_disconnect = new QPushButton(tr("Disconnect"));
    m_disconnect->setObjectName(QStringLiteral("disconnectButton"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connectionRow->addWidget(m_connect);
    connectionRow->addWidget(m_disconnect);
    connectionRow->addWidget(m_status, 1);
    layout->addLayout(connectionRow);
    connect(m_connect, &QPushButton::clicked, this, &ProducerPanel::connectProducer);
    connect(m_disconnect, &QPushButton::clicked, this, &ProducerPanel::disconnectProducer);

    auto *formHost = new QWidget;
    auto *formLayout = new QHBoxLayout(formHost);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addWidget(buildOptions(), 0);
    formLayout->addWidget(buildComposer(), 1);
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(formHost);

    auto *resultsHost = new QWidget;
    auto *resultsLayout = new QVBoxLayout(resultsHost);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    resultsLayout->addWidget(buildSendRow());
    m_resultsView = new QTableView;
    m_resultsView->setObjectName(QStringLiteral("resultsView"));
    m_resultsView->setModel(m_results);
    m_resultsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_resultsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    setupTable(m_resultsView);
    const QFontMetrics metrics = m_resultsView->fontMetrics();
    const auto widthFor = [&metrics](const QString &sample) { return metrics.horizontalAdvance(sample) + 16; };
    m_resultsView->setColumnWidth(SendResultModel::NumberColumn, widthFor(QStringLiteral("0000000")));
    m_resultsView->setColumnWidth(SendResultModel::TimeColumn, widthFor(QStringLiteral("00:00:00.000")));
    m_resultsView->setColumnWidth(SendResultModel::StatusColumn, widthFor(QStringLiteral("pending")) + 20);
    m_resultsView->setColumnWidth(SendResultModel::MessageIdColumn, widthFor(QStringLiteral("0000000:000000:00:000")));
    m_resultsView->setColumnWidth(SendResultModel::ErrorCodeColumn, widthFor(tr("Error code")));
    m_resultsView->setColumnWidth(SendResultModel::ErrorColumn, widthFor(QString(30, u'x')));
    m_resultsView->setColumnWidth(SendResultModel::KeyColumn, widthFor(QString(12, u'x')));
    m_resultsView->setColumnWidth(SendResultModel::SizeColumn, widthFor(QStringLiteral("000.0 KB")));
    resultsLayout->addWidget(m_resultsView, 1);

    // Follow the tail only while the user is at the bottom (Wireshark's packet list does the same).
    auto atBottom = std::make_shared<bool>(true);
    connect(m_results, &QAbstractItemModel::rowsAboutToBeInserted, this, [this, atBottom] {
        const QScrollBar *bar = m_resultsView->verticalScrollBar();
        *atBottom = bar->value() >= bar->maximum();
    });
    connect(m_results, &QAbstractItemModel::rowsInserted, this, [this, atBottom] {
        if (*atBottom)
            m_resultsView->scrollToBottom();
    });

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("producerSplitter"));
    splitter->addWidget(scroll);
    splitter->addWidget(resultsHost);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    // Ctrl+Enter sends from anywhere in the panel, the payload editor included (it does not take Ctrl+Return).
    for (const QKeySequence &sequence :
         {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(sequence, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, [this] {
            if (m_send->isEnabled())
                sendOnce();
        });
    }
}

QWidget *ProducerPanel::buildOptions()
{
    const Pulsar::ProducerOptions defaults;
    const Pulsar::ProducerSettings defaultSettings;

    m_options = new QGroupBox(tr("Producer options"));
    m_options->setObjectName(QStringLiteral("optionsGroup"));
    auto *outer = new QVBoxLayout(m_options);
    auto *form = new QFormLayout;
    outer->addLayout(form);

    m_producerName = new QLineEdit;
    m_producerName->setObjectName(QStringLiteral("producerNameEdit"));
    m_producerName->setPlaceholderText(tr("generated by the broker"));
    form->addRow(tr("Producer name:"), m_producerName);

    m_sendTimeout =
        makeSpin(QStringLiteral("sendTimeoutMillisSpin"), 0, INT_MAX, defaults.sendTimeoutMillis, tr(" ms"));
    m_sendTimeout->setSpecialValueText(tr("no timeout"));
    form->addRow(tr("Send timeout:"), m_sendTimeout);

    m_compression =
        makeCombo(QStringLiteral("compressionTypeCombo"),
                  {Pulsar::toString(Pulsar::CompressionType::None), Pulsar::toString(Pulsar::CompressionType::LZ4),
                   Pulsar::toString(Pulsar::CompressionType::ZLib), Pulsar::toString(Pulsar::CompressionType::ZStd),
                   Pulsar::toString(Pulsar::CompressionType::Snappy)},
                  Pulsar::toString(defaults.compressionType));
    form->addRow(tr("Compression:"), m_compression);

    m_batching = new QCheckBox(tr("Batching"));
    m_batching->setObjectName(QStringLiteral("batchingEnabledCheck"));
    m_batching->setChecked(defaults.batchingEnabled);
    form->addRow(QString(), m_batching);

    m_advancedToggle = new QToolButton;
    m_advancedToggle->setObjectName(QStringLiteral("advancedToggle"));
    m_advancedToggle->setText(tr("Advanced"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    outer->addWidget(m_advancedToggle);

    m_advanced = new QWidget;
    m_advanced->setObjectName(QStringLiteral("advancedGroup"));
    auto *advanced = new QFormLayout(m_advanced);
    advanced->setContentsMargins(0, 0, 0, 0);

    m_initialSequenceId = new QLineEdit;
    m_initialSequenceId->setObjectName(QStringLiteral("initialSequenceIdEdit"));
    m_initialSequenceId->setPlaceholderText(tr("the broker's last sequence id"));
    advanced->addRow(tr("Initial sequence id:"), m_initialSequenceId);

    m_hashingScheme = makeCombo(QStringLiteral("hashingSchemeCombo"),
                                {Pulsar::toString(Pulsar::HashingScheme::JavaStringHash),
                                 Pulsar::toString(Pulsar::HashingScheme::Murmur3_32Hash)},
                                Pulsar::toString(defaults.hashingScheme));
    advanced->addRow(tr("Hashing scheme:"), m_hashingScheme);

    m_routingMode = makeCombo(QStringLiteral("messageRoutingModeCombo"),
                              {Pulsar::toString(Pulsar::MessageRoutingMode::SinglePartition),
                               Pulsar::toString(Pulsar::MessageRoutingMode::RoundRobinPartition),
                               Pulsar::toString(Pulsar::MessageRoutingMode::CustomPartition)},
                              Pulsar::toString(defaults.messageRoutingMode));
    m_routingMode->setToolTip(tr("CustomPartition is accepted by the WebSocket service but acts as SinglePartition"));
    advanced->addRow(tr("Routing mode:"), m_routingMode);

    m_batchingMaxMessages =
        makeSpin(QStringLiteral("batchingMaxMessagesSpin"), 0, INT_MAX, defaults.batchingMaxMessages);
    advanced->addRow(tr("Batch max messages:"), m_batchingMaxMessages);
    m_batchingMaxPublishDelay = makeSpin(QStringLiteral("batchingMaxPublishDelaySpin"), 0, INT_MAX,
                                         defaults.batchingMaxPublishDelay, tr(" ms"));
    advanced->addRow(tr("Batch max delay:"), m_batchingMaxPublishDelay);
    m_maxPendingMessages = makeSpin(QStringLiteral("maxPendingMessagesSpin"), 0, INT_MAX, defaults.maxPendingMessages);
    m_maxPendingMessages->setSpecialValueText(tr("memory limit"));
    advanced->addRow(tr("Max pending messages:"), m_maxPendingMessages);

    m_encryptionKeys = new QLineEdit;
    m_encryptionKeys->setObjectName(QStringLiteral("encryptionKeysEdit"));
    m_encryptionKeys->setPlaceholderText(tr("key names, comma-separated, or base64 (client-side)"));
    advanced->addRow(tr("Encryption keys:"), m_encryptionKeys);

    m_maxInFlight = makeSpin(QStringLiteral("maxInFlightSpin"), 1, 100000, defaultSettings.maxInFlight);
    m_maxInFlight->setToolTip(tr("Sends written but not yet acknowledged (Pulsar's proxy allows 1000)"));
    advanced->addRow(tr("In-flight window:"), m_maxInFlight);

    m_inFlightPolicy = new QComboBox;
    m_inFlightPolicy->setObjectName(QStringLiteral("inFlightPolicyCombo"));
    m_inFlightPolicy->addItem(tr("Report as failed"), QStringLiteral("fail"));
    m_inFlightPolicy->addItem(tr("Send again (may duplicate)"), QStringLiteral("resend"));
    m_inFlightPolicy->setToolTip(tr("What happens to unacknowledged sends when the connection drops"));
    advanced->addRow(tr("On reconnect:"), m_inFlightPolicy);

    outer->addWidget(m_advanced);
    outer->addStretch(1);
    m_advanced->setVisible(false);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool expanded) {
        m_advanced->setVisible(expanded);
        m_advancedToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    });

    // The batching parameters only apply with batching on; they stay editable through validate() either way.
    const auto batchingChanged = [this](bool on) {
        m_batchingMaxMessages->setEnabled(on);
        m_batchingMaxPublishDelay->setEnabled(on);
    };
    connect(m_batching, &QCheckBox::toggled, this, batchingChanged);
    batchingChanged(m_batching->isChecked());
    return m_options;
}

QWidget *ProducerPanel::buildComposer()
{
    auto *box = new QGroupBox(tr("Message"));
    box->setObjectName(QStringLiteral("composerGroup"));
    auto *layout = new QVBoxLayout(box);

    auto *modeRow = new QHBoxLayout;
    m_payloadMode = new QComboBox;
    m_payloadMode->setObjectName(QStringLiteral("payloadModeCombo"));
    m_payloadMode->addItem(tr("Text"), modeName(PayloadMode::Text));
    m_payloadMode->addItem(tr("JSON"), modeName(PayloadMode::Json));
    m_payloadMode->addItem(tr("Hex"), modeName(PayloadMode::Hex));
    m_payloadMode->addItem(tr("Base64"), modeName(PayloadMode::Base64));
    m_payloadMode->addItem(tr("File"), modeName(PayloadMode::File));
    m_prettyPrint = new QPushButton(tr("Pretty-print"));
    m_prettyPrint->setObjectName(QStringLiteral("prettyPrintButton"));
    modeRow->addWidget(new QLabel(tr("Payload:")));
    modeRow->addWidget(m_payloadMode);
    modeRow->addWidget(m_prettyPrint);
    modeRow->addStretch(1);
    layout->addLayout(modeRow);

    m_payload = new QPlainTextEdit;
    m_payload->setObjectName(QStringLiteral("payloadEdit"));
    m_payload->setTabChangesFocus(true);
    m_payload->setMinimumHeight(m_payload->fontMetrics().height() * 5);
    layout->addWidget(m_payload, 1);

    m_fileRow = new QWidget;
    auto *fileLayout = new QHBoxLayout(m_fileRow);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    m_filePath = new QLineEdit;
    m_filePath->setObjectName(QStringLiteral("filePathEdit"));
    m_filePath->setPlaceholderText(tr("path of the file to send"));
    m_browse = new QPushButton(tr("Browse…"));
    m_browse->setObjectName(QStringLiteral("browseButton"));
    fileLayout->addWidget(m_filePath, 1);
    fileLayout->addWidget(m_browse);
    layout->addWidget(m_fileRow);

    m_payloadError = new QLabel;
    m_payloadError->setObjectName(QStringLiteral("payloadError"));
    m_payloadError->setWordWrap(true);
    m_payloadError->setStyleSheet(QStringLiteral("color: #b00000"));
    m_payloadError->setVisible(false);
    layout->addWidget(m_payloadError);

    connect(m_payloadMode, &QComboBox::currentIndexChanged, this, &ProducerPanel::onPayloadModeChanged);
    connect(m_payload, &QPlainTextEdit::textChanged, this, [this] { m_validateTimer.start(); });
    connect(m_filePath, &QLineEdit::textChanged, this, [this] { m_validateTimer.start(); });
    connect(m_prettyPrint, &QPushButton::clicked, this, &ProducerPanel::prettyPrint);
    connect(m_browse, &QPushButton::clicked, this, &ProducerPanel::browseFile);

    auto *fields = new QFormLayout;
    m_key = new QLineEdit;
    m_key->setObjectName(QStringLiteral("keyEdit"));
    m_key->setPlaceholderText(tr("none"));
    fields->addRow(tr("Key:"), m_key);
    m_replicationClusters = new QLineEdit;
    m_replicationClusters->setObjectName(QStringLiteral("replicationClustersEdit"));
    m_replicationClusters->setPlaceholderText(tr("the namespace's clusters"));
    m_replicationClusters->setToolTip(
        tr("Cluster names separated by commas: geo-replication sends the message to these clusters only"));
    fields->addRow(tr("Replication clusters:"), m_replicationClusters);

    auto *eventTimeRow = new QHBoxLayout;
    m_eventTime = new QCheckBox(tr("Set"));
    m_eventTime->setObjectName(QStringLiteral("eventTimeCheck"));
    m_eventTimeNow = new QCheckBox(tr("Now (time of each send)"));
    m_eventTimeNow->setObjectName(QStringLiteral("eventTimeNowCheck"));
    m_eventTimeEdit = new QDateTimeEdit(QDateTime::currentDateTime());
    m_eventTimeEdit->setObjectName(QStringLiteral("eventTimeEdit"));
    m_eventTimeEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    m_eventTimeEdit->setCalendarPopup(true);
    eventTimeRow->addWidget(m_eventTime);
    eventTimeRow->addWidget(m_eventTimeNow);
    eventTimeRow->addWidget(m_eventTimeEdit, 1);
    fields->addRow(tr("Event time:"), eventTimeRow);

    m_deliverAfter = makeSpin(QStringLiteral("deliverAfterSpin"), 0, INT_MAX, 0, tr(" ms"));
    m_deliverAfter->setSpecialValueText(tr("not set"));
    m_deliverAfter->setToolTip(tr("Delayed delivery; honoured on Shared and Key_Shared subscriptions, and wins "
                                  "over \"Deliver at\""));
    fields->addRow(tr("Deliver after:"), m_deliverAfter);

    auto *deliverAtRow = new QHBoxLayout;
    m_deliverAt = new QCheckBox(tr("Set"));
    m_deliverAt->setObjectName(QStringLiteral("deliverAtCheck"));
    m_deliverAtEdit = new QDateTimeEdit(QDateTime::currentDateTime().addSecs(60));
    m_deliverAtEdit->setObjectName(QStringLiteral("deliverAtEdit"));
    m_deliverAtEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    m_deliverAtEdit->setCalendarPopup(true);
    deliverAtRow->addWidget(m_deliverAt);
    deliverAtRow->addWidget(m_deliverAtEdit, 1);
    fields->addRow(tr("Deliver at:"), deliverAtRow);
    layout->addLayout(fields);

    const auto timeChecksChanged = [this] {
        m_eventTimeNow->setEnabled(m_eventTime->isChecked());
        m_eventTimeEdit->setEnabled(m_eventTime->isChecked() && !m_eventTimeNow->isChecked());
        m_deliverAtEdit->setEnabled(m_deliverAt->isChecked());
    };
    connect(m_eventTime, &QCheckBox::toggled, this, timeChecksChanged);
    connect(m_eventTimeNow, &QCheckBox::toggled, this, timeChecksChanged);
    connect(m_deliverAt, &QCheckBox::toggled, this, timeChecksChanged);
    timeChecksChanged();

    auto *propertiesHeader = new QHBoxLayout;
    propertiesHeader->addWidget(new QLabel(tr("Properties:")));
    propertiesHeader->addStretch(1);
    m_addProperty = new QPushButton(tr("Add"));
    m_addProperty->setObjectName(QStringLiteral("addPropertyButton"));
    m_removeProperty = new QPushButton(tr("Remove"));
    m_removeProperty->setObjectName(QStringLiteral("removePropertyButton"));
    propertiesHeader->addWidget(m_addProperty);
    propertiesHeader->addWidget(m_removeProperty);
    layout->addLayout(propertiesHeader);

    m_propertiesView = new QTableView;
    m_propertiesView->setObjectName(QStringLiteral("propertiesView"));
    m_propertiesView->setModel(m_properties);
    m_propertiesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_propertiesView->setEditTriggers(QAbstractItemView::AllEditTriggers);
    setupTable(m_propertiesView);
    m_propertiesView->setColumnWidth(PropertiesModel::KeyColumn,
                                     m_propertiesView->fontMetrics().horizontalAdvance(QString(20, u'x')));
    m_propertiesView->setMinimumHeight(m_propertiesView->verticalHeader()->defaultSectionSize() * 5);
    layout->addWidget(m_propertiesView);

    m_propertiesError = new QLabel;
    m_propertiesError->setObjectName(QStringLiteral("propertiesError"));
    m_propertiesError->setWordWrap(true);
    m_propertiesError->setStyleSheet(QStringLiteral("color: #b00000"));
    m_propertiesError->setVisible(false);
    layout->addWidget(m_propertiesError);

    connect(m_addProperty, &QPushButton::clicked, this, &ProducerPanel::addProperty);
    connect(m_removeProperty, &QPushButton::clicked, this, &ProducerPanel::removeSelectedProperties);
    connect(m_properties, &PropertiesModel::validityChanged, this, [this](bool valid, const QString &error) {
        m_propertiesError->setText(error);
        m_propertiesError->setVisible(!valid);
        updateControls();
    });
    connect(m_properties, &QAbstractItemModel::rowsInserted, this, &ProducerPanel::updateControls);
    connect(m_properties, &QAbstractItemModel::rowsRemoved, this, &ProducerPanel::updateControls);
    connect(m_properties, &QAbstractItemModel::modelReset, this, &ProducerPanel::updateControls);
    return box;
}

QWidget *ProducerPanel::buildSendRow()
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);

    m_send = new QPushButton(tr("Send"));
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setToolTip(tr("Send the message once (Ctrl+Enter)"));
    layout->addWidget(m_send);

    layout->addSpacing(12);
    m_sendCount = makeSpin(QStringLiteral("sendCountSpin"), 1, kMaxSendCount, 100);
    m_sendCount->setPrefix(tr("count "));
    m_sendRate = makeSpin(QStringLiteral("sendRateSpin"), 0, 100000, 0, tr(" msgs/s"));
    m_sendRate->setSpecialValueText(tr("as fast as possible"));
    m_sendMany = new QPushButton(tr("Send N"));
    m_sendMany->setObjectName(QStringLiteral("sendManyButton"));
    m_cancelSend = new QPushButton(tr("Cancel"));
    m_cancelSend->setObjectName(QStringLiteral("cancelSendButton"));
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("sendProgress"));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_clearResults = new QPushButton(tr("Clear results"));
    m_clearResults->setObjectName(QStringLiteral("clearResultsButton"));
    layout->addWidget(m_sendCount);
    layout->addWidget(m_sendRate);
    layout->addWidget(m_sendMany);
    layout->addWidget(m_cancelSend);
    layout->addWidget(m_progress, 1);
    layout->addWidget(m_clearResults);

    connect(m_send, &QPushButton::clicked, this, &ProducerPanel::sendOnce);
    connect(m_sendMany, &QPushButton::clicked, this, &ProducerPanel::sendMany);
    connect(m_cancelSend, &QPushButton::clicked, this, &ProducerPanel::cancelSendMany);
    connect(m_clearResults, &QPushButton::clicked, m_results, &SendResultModel::clear);
    connect(m_sendCount, &QSpinBox::valueChanged, this, [this] {
        if (!m_bulk.active)
            m_progress->setValue(0);
    });
    return row;
}

PayloadMode ProducerPanel::payloadMode() const
{
    const QString name = m_payloadMode->currentData().toString();
    for (PayloadMode mode :
         {PayloadMode::Text, PayloadMode::Json, PayloadMode::Hex, PayloadMode::Base64, PayloadMode::File}) {
        if (modeName(mode) == name)
            return mode;
    }
    return PayloadMode::Text;
}

void ProducerPanel::onPayloadModeChanged()
{
    const PayloadMode mode = payloadMode();
    m_payload->setVisible(mode != PayloadMode::File);
    m_fileRow->setVisible(mode == PayloadMode::File);
    m_prettyPrint->setVisible(mode == PayloadMode::Json);
    validatePayload();
}

void ProducerPanel::validatePayload()
{
    m_validateTimer.stop();
    const PayloadMode mode = payloadMode();
    PayloadError error;
    if (mode == PayloadMode::File) {
        // A small read the user asked for: the file is read again at send time, so this only checks it.
        error = PayloadCodec::readFile(m_filePath->text()).error;
        if (m_filePath->text().isEmpty())
            error.text = tr("Choose a file to send");
    } else if (mode != PayloadMode::Text) {
        error = PayloadCodec::encode(mode, m_payload->toPlainText()).error;
    }
    m_payloadValid = error.text.isEmpty();
    m_payloadError->setText(error.text);
    m_payloadError->setVisible(!m_payloadValid);

    // Mark the offending character in the editor (without moving the user's cursor).
    QList<QTextEdit::ExtraSelection> selections;
    if (!m_payloadValid && error.position >= 0 && mode != PayloadMode::File) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(m_payload->document());
        const int length = m_payload->document()->characterCount() - 1;
        const int position = int(std::min<qsizetype>(error.position, std::max(0, length - 1)));
        selection.cursor.setPosition(position);
        selection.cursor.setPosition(std::min(position + 1, std::max(0, length)), QTextCursor::KeepAnchor);
        selection.format.setBackground(QColor(255, 190, 190));
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(Qt::red);
        selections.append(selection);
    }
    m_payload->setExtraSelections(selections);
    updateControls();
}

void ProducerPanel::prettyPrint()
{
    const PayloadResult result = PayloadCodec::prettyPrintJson(m_payload->toPlainText());
    if (!result.ok()) {
        validatePayload();
        return;
    }
    // Through the cursor, so that the user can undo it.
    QTextCursor cursor(m_payload->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromUtf8(result.bytes).trimmed());
    validatePayload();
}

void ProducerPanel::browseFile()
{
    // Non-blocking: open() returns at once and fileSelected arrives later.
    auto *dialog = new QFileDialog(this, tr("Choose the file to send"), m_filePath->text());
    dialog->setObjectName(QStringLiteral("payloadFileDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) { m_filePath->setText(path); });
    dialog->open();
}

void ProducerPanel::addProperty()
{
    const int row = m_properties->addProperty();
    if (row < 0) {
        setStatus(tr("A message can have at most %1 properties").arg(PropertiesModel::MaxRows), true);
        return;
    }
    const QModelIndex index = m_properties->index(row, PropertiesModel::KeyColumn);
    m_propertiesView->setCurrentIndex(index);
    m_propertiesView->scrollTo(index);
    if (m_propertiesView->isVisible())
        m_propertiesView->edit(index);
}

void ProducerPanel::removeSelectedProperties()
{
    QList<int> rows;
    for (const QModelIndex &index : m_propertiesView->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_propertiesView->currentIndex().isValid())
        rows.append(m_propertiesView->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    for (int row : std::as_const(rows))
        m_properties->removeProperty(row);
}

// ---------------------------------------------------------------------------------------------------------------
// Settings and messages from the form

std::optional<Pulsar::ProducerSettings> ProducerPanel::settingsFromForm(QString *error) const
{
    Pulsar::ProducerSettings settings;
    Pulsar::ProducerOptions &options = settings.options;
    if (!m_producerName->text().isEmpty())
        options.producerName = m_producerName->text();
    const QString sequence = m_initialSequenceId->text().trimmed();
    if (!sequence.isEmpty()) {
        const Pulsar::Result<qint64> parsed = Pulsar::parseJavaLong(sequence);
        if (!parsed) {
            *error = tr("Initial sequence id: %1").arg(parsed.error().message);
            return std::nullopt;
        }
        options.initialSequenceId = *parsed;
    }
    options.hashingScheme = Pulsar::hashingSchemeFromString(m_hashingScheme->currentData().toString())
                                .value_or(Pulsar::HashingScheme::JavaStringHash);
    options.messageRoutingMode = Pulsar::messageRoutingModeFromString(m_routingMode->currentData().toString())
                                     .value_or(Pulsar::MessageRoutingMode::SinglePartition);
    options.compressionType = Pulsar::compressionTypeFromString(m_compression->currentData().toString())
                                  .value_or(Pulsar::CompressionType::None);
    options.sendTimeoutMillis = m_sendTimeout->value();
    options.batchingEnabled = m_batching->isChecked();
    options.batchingMaxMessages = m_batchingMaxMessages->value();
    options.batchingMaxPublishDelay = m_batchingMaxPublishDelay->value();
    options.maxPendingMessages = m_maxPendingMessages->value();
    if (!m_encryptionKeys->text().trimmed().isEmpty())
        options.encryptionKeys = m_encryptionKeys->text();
    if (const auto invalid = options.validate()) {
        *error = tr("Invalid producer options: %1").arg(invalid->message);
        return std::nullopt;
    }
    settings.maxInFlight = m_maxInFlight->value();
    settings.inFlightPolicy = m_inFlightPolicy->currentData().toString() == QLatin1String("resend")
                                  ? Pulsar::InFlightPolicy::ResendInFlight
                                  : Pulsar::InFlightPolicy::FailInFlight;
    return settings;
}

std::optional<Pulsar::OutgoingMessage> ProducerPanel::messageFromForm(QString *error) const
{
    const PayloadMode mode = payloadMode();
    const PayloadResult payload = mode == PayloadMode::File ? PayloadCodec::readFile(m_filePath->text())
                                                            : PayloadCodec::encode(mode, m_payload->toPlainText());
    if (!payload.ok()) {
        *error = payload.error.text;
        return std::nullopt;
    }
    if (!m_properties->isValid()) {
        *error = m_properties->validationError();
        return std::nullopt;
    }
    const std::optional<QStringList> clusters = replicationClustersFromText(m_replicationClusters->text(), error);
    if (!clusters)
        return std::nullopt;
    Pulsar::OutgoingMessage message;
    message.payload = payload.bytes;
    if (!m_key->text().isEmpty())
        message.key = m_key->text();
    if (!clusters->isEmpty())
        message.replicationClusters = *clusters;
    message.properties = m_properties->properties();
    if (m_eventTime->isChecked() && !m_eventTimeNow->isChecked())
        message.eventTimeMs = m_eventTimeEdit->dateTime().toMSecsSinceEpoch();
    if (m_deliverAt->isChecked())
        message.deliverAtMs = m_deliverAtEdit->dateTime().toMSecsSinceEpoch();
    message.deliverAfterMs = m_deliverAfter->value();
    return message;
}

std::optional<QStringList> ProducerPanel::replicationClustersFromText(const QString &text, QString *error)
{
    QStringList clusters;
    if (text.trimmed().isEmpty())
        return clusters;
    const QStringList parts = text.split(QLatin1Char(','));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString name = parts.at(i).trimmed();
        if (name.isEmpty()) {
            *error = tr("Replication clusters: name %1 of %2 is empty; separate the names with single commas")
                         .arg(i + 1)
                         .arg(parts.size());
            return std::nullopt;
        }
        // A cluster is a Pulsar named entity (NamedEntity.checkName when it is created): no cluster can have
        // another name, so the message would be replicated nowhere.
        if (!Pulsar::NamespaceName::isValidNamedEntity(name)) {
            *error =
                tr("Replication clusters: \"%1\" is not a cluster name (letters, digits and - _ = : . only)").arg(name);
            return std::nullopt;
        }
        clusters.append(name);
    }
    return clusters;
}

// ---------------------------------------------------------------------------------------------------------------
// The session

void ProducerPanel::connectProducer()
{
    releaseSession();
    QString error;
    const std::optional<Pulsar::ProducerSettings> settings = settingsFromForm(&error);
    if (!settings) {
        setStatus(error, true);
        log()->error(title(), error);
        updateControls();
        return;
    }
    m_session = new Pulsar::ProducerSession(profile(), topic(), *settings, this);
    connect(m_session, &Pulsar::ProducerSession::statusChanged, this, &ProducerPanel::onStatusChanged);
    connect(m_session, &Pulsar::ProducerSession::sendFinished, this, &ProducerPanel::onSendFinished);
    log()->info(title(), tr("Connecting to %1").arg(topic().toString()));
    setStatus(tr("Connecting…"), false);
    m_session->open();
    updateControls();
}

void ProducerPanel::disconnectProducer()
{
    if (!m_session)
        return;
    releaseSession();
    setStatus(tr("Disconnected"), false);
    log()->info(title(), tr("Disconnected"));
    updateControls();
}

void ProducerPanel::releaseSession()
{
    if (!m_session)
        return;
    if (m_bulk.active)
        m_bulk.cancelled = true;
    Pulsar::ProducerSession *session = m_session;
    // close() reports every waiting send as failed: let those results reach the list, then let go.
    disconnect(session, &Pulsar::ProducerSession::statusChanged, this, &ProducerPanel::onStatusChanged);
    session->close();
    disconnect(session, nullptr, this, nullptr);
    m_session = nullptr;
    session->deleteLater();
    finishBulkIfDone();
    flushFailures();
}

void ProducerPanel::shutdown()
{
    m_bulkTimer.stop();
    releaseSession();
    m_results->flush();
    updateControls();
}

bool ProducerPanel::isSessionUsable() const
{
    if (!m_session)
        return false;
    const Pulsar::ChannelState state = m_session->status().state;
    return state == Pulsar::ChannelState::Connected || state == Pulsar::ChannelState::Reconnecting;
}

void ProducerPanel::onStatusChanged(const Pulsar::ChannelStatus &status)
{
    switch (status.state) {
    case Pulsar::ChannelState::Idle:
        setStatus(tr("Not connected"), false);
        break;
    case Pulsar::ChannelState::Connecting:
        setStatus(tr("Connecting…"), false);
        break;
    case Pulsar::ChannelState::Connected:
        setStatus(tr("Connected"), false);
        log()->info(title(), tr("Connected"));
        break;
    case Pulsar::ChannelState::Reconnecting: {
        const QString text = tr("Connection lost: %1. Reconnecting in %2 ms (attempt %3)")
                                 .arg(status.error.text())
                                 .arg(status.reconnectDelayMs)
                                 .arg(status.attempt);
        setStatus(text, true);
        log()->error(title(), text);
        break;
    }
    case Pulsar::ChannelState::Closed:
        setStatus(tr("Disconnected"), false);
        break;
    case Pulsar::ChannelState::Failed: {
        const QString text = status.error.text();
        setStatus(text, true);
        log()->error(title(), text);
        if (m_bulk.active)
            m_bulk.cancelled = true;
        finishBulkIfDone();
        break;
    }
    }
    updateControls();
}

// ---------------------------------------------------------------------------------------------------------------
// Sending

bool ProducerPanel::submit(Pulsar::OutgoingMessage message, bool bulk)
{
    if (!m_session)
        return false;
    if (m_eventTime->isChecked() && m_eventTimeNow->isChecked())
        message.eventTimeMs = QDateTime::currentMSecsSinceEpoch();
    const Pulsar::SendTicket ticket = m_session->send(message);
    if (!ticket.accepted()) {
        // A full window during "Send N" is backpressure, not a failure: the next tick tries again.
        if (!bulk || ticket.refused->code != Pulsar::ClientErrorCode::QueueFull) {
            const QString text = tr("Not sent: %1").arg(ticket.refused->text());
            setStatus(text, true);
            log()->error(title(), text);
        }
        return false;
    }
    m_results->addPending(ticket.context, message.key.value_or(QString()), message.payload.size());
    if (bulk)
        m_bulk.contexts.insert(ticket.context);
    return true;
}

std::optional<Pulsar::OutgoingMessage> ProducerPanel::messageToSend()
{
    if (m_validateTimer.isActive())
        validatePayload();
    if (!isSessionUsable() || m_bulk.active)
        return std::nullopt;
    QString error;
    std::optional<Pulsar::OutgoingMessage> message = messageFromForm(&error);
    if (!message)
        setStatus(error, true);
    return message;
}

void ProducerPanel::sendOnce()
{
    if (const std::optional<Pulsar::OutgoingMessage> message = messageToSend())
        submit(*message, false);
}

void ProducerPanel::sendMany()
{
    const std::optional<Pulsar::OutgoingMessage> message = messageToSend();
    if (!message)
        return;
    m_bulk = Bulk();
    m_bulk.active = true;
    m_bulk.total = m_sendCount->value();
    m_bulk.rate = m_sendRate->value();
    m_bulk.message = *message;
    m_bulk.clock.start();
    const QString text = m_bulk.rate > 0 ? tr("Sending %1 messages at %2 msgs/s").arg(m_bulk.total).arg(m_bulk.rate)
                                         : tr("Sending %1 messages").arg(m_bulk.total);
    setStatus(text, false);
    log()->info(title(), text);
    updateProgress();
    updateControls();
    m_bulkTimer.start();
    onBulkTick();
}

void ProducerPanel::cancelSendMany()
{
    if (!m_bulk.active || m_bulk.cancelled)
        return;
    m_bulk.cancelled = true;
    updateControls();
    finishBulkIfDone();
}

void ProducerPanel::onBulkTick()
{
    if (!m_bulk.active)
        return;
    if (!m_bulk.cancelled && m_session && m_bulk.sent < m_bulk.total) {
        int budget = std::min(m_bulk.total - m_bulk.sent, kMaxSendsPerTick);
        if (m_bulk.rate > 0) {
            // The first message goes at once, then one every 1/rate seconds on average.
            const qint64 due = std::min<qint64>(m_bulk.total, qint64(m_bulk.rate) * m_bulk.clock.elapsed() / 1000 + 1);
            budget = int(std::min<qint64>(budget, due - m_bulk.sent));
        }
        for (int i = 0; i < budget && m_session && m_session->canSend(); ++i) {
            if (!submit(m_bulk.message, true))
                break;
            ++m_bulk.sent;
        }
        if (m_session) {
            const Pulsar::ChannelState state = m_session->status().state;
            if (state == Pulsar::ChannelState::Closed || state == Pulsar::ChannelState::Failed)
                m_bulk.cancelled = true;
        }
    }
    updateProgress();
    finishBulkIfDone();
}

void ProducerPanel::onSendFinished(const Pulsar::SendResult &result)
{
    m_results->finish(result);
    if (m_bulk.active && m_bulk.contexts.remove(result.context)) {
        ++m_bulk.finished;
        if (result.ok)
            ++m_bulk.ok;
        else
            ++m_bulk.failed;
    }
    if (!result.ok)
        reportFailure(tr("Send failed (error %1): %2").arg(int(result.errorCode)).arg(result.errorMsg));
    // Progress and the end of "Send N" are checked on the bulk timer's ticks, not per ack.
}

void ProducerPanel::updateProgress()
{
    if (m_bulk.total <= 0)
        return;
    m_progress->setValue(int(qint64(m_bulk.finished) * 100 / m_bulk.total));
    m_progress->setFormat(tr("%1 / %2 (%p%)").arg(m_bulk.finished).arg(m_bulk.total));
}

void ProducerPanel::finishBulkIfDone()
{
    if (!m_bulk.active)
        return;
    if (!(m_bulk.sent >= m_bulk.total || m_bulk.cancelled) || m_bulk.finished < m_bulk.sent)
        return;
    m_bulkTimer.stop();
    m_bulk.active = false;
    m_bulk.contexts.clear();
    updateProgress();
    m_results->flush();
    const QString text =
        m_bulk.cancelled ? tr("Stopped after %1 of %2 messages: %3 ok, %4 failed")
                               .arg(m_bulk.sent)
                               .arg(m_bulk.total)
                               .arg(m_bulk.ok)
                               .arg(m_bulk.failed)
                         : tr("Sent %1 messages: %2 ok, %3 failed").arg(m_bulk.total).arg(m_bulk.ok).arg(m_bulk.failed);
    // A failed session keeps its reason in the status label; the summary still goes to the log.
    if (!m_session || m_session->status().state != Pulsar::ChannelState::Failed)
        setStatus(text, m_bulk.failed > 0);
    log()->info(title(), text);
    updateControls();
}

// ---------------------------------------------------------------------------------------------------------------
// Status and failures

void ProducerPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b00000") : QString());
}

void ProducerPanel::reportFailure(const QString &text)
{
    // A thousand sends failing at once (a dropped connection) must not write a thousand log lines and relabel a
    // thousand times: failures are gathered for a moment and reported together.
    ++m_failureCount;
    m_lastFailure = text;
    if (!m_failureTimer.isActive())
        m_failureTimer.start();
}

void ProducerPanel::flushFailures()
{
    m_failureTimer.stop();
    if (m_failureCount == 0)
        return;
    const QString text = m_failureCount == 1
                             ? m_lastFailure
                             : tr("%1 sends failed; the last: %2").arg(m_failureCount).arg(m_lastFailure);
    m_failureCount = 0;
    m_lastFailure.clear();
    setStatus(text, true);
    log()->error(title(), text);
}

void ProducerPanel::updateControls()
{
    const bool active = m_session && m_session->status().state != Pulsar::ChannelState::Closed &&
                        m_session->status().state != Pulsar::ChannelState::Failed;
    m_connect->setEnabled(!active);
    m_disconnect->setEnabled(active);
    // The options are the socket's query: they only apply when connecting.
    m_options->setEnabled(!active);
    const bool composable = m_payloadValid && m_properties->isValid();
    const bool canSend = isSessionUsable() && composable && !m_bulk.active;
    m_send->setEnabled(canSend);
    m_sendMany->setEnabled(canSend);
    m_sendCount->setEnabled(!m_bulk.active);
    m_sendRate->setEnabled(!m_bulk.active);
    m_cancelSend->setEnabled(m_bulk.active && !m_bulk.cancelled);
    m_removeProperty->setEnabled(m_properties->rowCount() > 0);
}

// ---------------------------------------------------------------------------------------------------------------
// State

QByteArray ProducerPanel::saveState() const
{
    QJsonObject options;
    options.insert(QStringLiteral("producerName"), m_producerName->text());
    options.insert(QStringLiteral("initialSequenceId"), m_initialSequenceId->text());
    options.insert(QStringLiteral("hashingScheme"), m_hashingScheme->currentData().toString());
    options.insert(QStringLiteral("messageRoutingMode"), m_routingMode->currentData().toString());
    options.insert(QStringLiteral("compressionType"), m_compression->currentData().toString());
    options.insert(QStringLiteral("sendTimeoutMillis"), m_sendTimeout->value());
    options.insert(QStringLiteral("batchingEnabled"), m_batching->isChecked());
    options.insert(QStringLiteral("batchingMaxMessages"), m_batchingMaxMessages->value());
    options.insert(QStringLiteral("batchingMaxPublishDelay"), m_batchingMaxPublishDelay->value());
    options.insert(QStringLiteral("maxPendingMessages"), m_maxPendingMessages->value());
    options.insert(QStringLiteral("encryptionKeys"), m_encryptionKeys->text());
    options.insert(QStringLiteral("maxInFlight"), m_maxInFlight->value());
    options.insert(QStringLiteral("inFlightPolicy"), m_inFlightPolicy->currentData().toString());

    QJsonArray properties;
    for (const auto &property : m_properties->properties())
        properties.append(QJsonArray{property.first, property.second});

    QJsonObject state;
    state.insert(QStringLiteral("version"), 1);
    state.insert(QStringLiteral("options"), options);
    state.insert(QStringLiteral("advancedExpanded"), m_advancedToggle->isChecked());
    state.insert(QStringLiteral("payloadMode"), m_payloadMode->currentData().toString());
    const QString payload = m_payload->toPlainText();
    if (payload.size() <= kMaxSavedPayloadChars)
        state.insert(QStringLiteral("payload"), payload);
    state.insert(QStringLiteral("filePath"), m_filePath->text());
    state.insert(QStringLiteral("key"), m_key->text());
    state.insert(QStringLiteral("replicationClusters"), m_replicationClusters->text());
    state.insert(QStringLiteral("properties"), properties);
    state.insert(QStringLiteral("eventTime"), m_eventTime->isChecked());
    state.insert(QStringLiteral("eventTimeNow"), m_eventTimeNow->isChecked());
    state.insert(QStringLiteral("eventTimeMs"), double(m_eventTimeEdit->dateTime().toMSecsSinceEpoch()));
    state.insert(QStringLiteral("deliverAfterMs"), m_deliverAfter->value());
    state.insert(QStringLiteral("deliverAt"), m_deliverAt->isChecked());
    state.insert(QStringLiteral("deliverAtMs"), double(m_deliverAtEdit->dateTime().toMSecsSinceEpoch()));
    state.insert(QStringLiteral("sendCount"), m_sendCount->value());
    state.insert(QStringLiteral("sendRate"), m_sendRate->value());
    state.insert(QStringLiteral("resultColumns"), columnWidths(m_resultsView));
    state.insert(QStringLiteral("propertyColumns"), columnWidths(m_propertiesView));
    return QJsonDocument(state).toJson(QJsonDocument::Compact);
}

void ProducerPanel::restoreState(const QByteArray &saved)
{
    const QJsonObject state = QJsonDocument::fromJson(saved).object();
    if (state.isEmpty())
        return;
    // Missing or mistyped values leave the field as it is: an older or damaged state restores what it can.
    const auto setText = [](QLineEdit *edit, const QJsonValue &value) {
        if (value.isString())
            edit->setText(value.toString());
    };
    const auto setInt = [](QSpinBox *spin, const QJsonValue &value) {
        if (value.isDouble())
            spin->setValue(value.toInt());
    };
    const auto setBool = [](QAbstractButton *button, const QJsonValue &value) {
        if (value.isBool())
            button->setChecked(value.toBool());
    };
    const auto setTime = [](QDateTimeEdit *edit, const QJsonValue &value) {
        if (value.isDouble())
            edit->setDateTime(QDateTime::fromMSecsSinceEpoch(qint64(value.toDouble())));
    };

    const QJsonObject options = state.value(QLatin1String("options")).toObject();
    setText(m_producerName, options.value(QLatin1String("producerName")));
    setText(m_initialSequenceId, options.value(QLatin1String("initialSequenceId")));
    selectData(m_hashingScheme, options.value(QLatin1String("hashingScheme")));
    selectData(m_routingMode, options.value(QLatin1String("messageRoutingMode")));
    selectData(m_compression, options.value(QLatin1String("compressionType")));
    setInt(m_sendTimeout, options.value(QLatin1String("sendTimeoutMillis")));
    setBool(m_batching, options.value(QLatin1String("batchingEnabled")));
    setInt(m_batchingMaxMessages, options.value(QLatin1String("batchingMaxMessages")));
    setInt(m_batchingMaxPublishDelay, options.value(QLatin1String("batchingMaxPublishDelay")));
    setInt(m_maxPendingMessages, options.value(QLatin1String("maxPendingMessages")));
    setText(m_encryptionKeys, options.value(QLatin1String("encryptionKeys")));
    setInt(m_maxInFlight, options.value(QLatin1String("maxInFlight")));
    selectData(m_inFlightPolicy, options.value(QLatin1String("inFlightPolicy")));

    setBool(m_advancedToggle, state.value(QLatin1String("advancedExpanded")));
    selectData(m_payloadMode, state.value(QLatin1String("payloadMode")));
    if (state.value(QLatin1String("payload")).isString())
        m_payload->setPlainText(state.value(QLatin1String("payload")).toString());
    setText(m_filePath, state.value(QLatin1String("filePath")));
    setText(m_key, state.value(QLatin1String("key")));
    setText(m_replicationClusters, state.value(QLatin1String("replicationClusters")));
    if (state.value(QLatin1String("properties")).isArray()) {
        Pulsar::Properties properties;
        for (const QJsonValue &entry : state.value(QLatin1String("properties")).toArray()) {
            const QJsonArray pair = entry.toArray();
            if (pair.size() == 2)
                properties.append({pair.at(0).toString(), pair.at(1).toString()});
        }
        m_properties->setProperties(properties);
    }
    setBool(m_eventTime, state.value(QLatin1String("eventTime")));
    setBool(m_eventTimeNow, state.value(QLatin1String("eventTimeNow")));
    setTime(m_eventTimeEdit, state.value(QLatin1String("eventTimeMs")));
    setInt(m_deliverAfter, state.value(QLatin1String("deliverAfterMs")));
    setBool(m_deliverAt, state.value(QLatin1String("deliverAt")));
    setTime(m_deliverAtEdit, state.value(QLatin1String("deliverAtMs")));
    setInt(m_sendCount, state.value(QLatin1String("sendCount")));
    setInt(m_sendRate, state.value(QLatin1String("sendRate")));
    restoreColumnWidths(m_resultsView, state.value(QLatin1String("resultColumns")));
    restoreColumnWidths(m_propertiesView, state.value(QLatin1String("propertyColumns")));
    validatePayload();
}

} // namespace Gui
