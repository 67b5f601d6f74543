#include "messagestreamview.h"

#include "messageinspector.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace Gui {

namespace {

constexpr int kCounterIntervalMs = 250; // 4 Hz: readable, and never a cost at any message rate
constexpr qint64 kRateWindowMs = 1000;

QLabel *counterLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

MessageStreamView::MessageStreamView(Mode mode, QWidget *parent)
    : QWidget(parent)
    , m_mode(mode)
{
    setObjectName(QStringLiteral("messageStreamView"));
    m_model = new MessageTableModel(this);
    m_model->setObjectName(QStringLiteral("messageTableModel"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *toolbar = new QHBoxLayout;
    m_autoAck = new QCheckBox(tr("Auto-ack"), this);
    m_autoAck->setObjectName(QStringLiteral("autoAckCheck"));
    m_autoAck->setToolTip(tr("Acknowledge every message as soon as it arrives"));
    m_ack = new QPushButton(tr("Ack"), this);
    m_ack->setObjectName(QStringLiteral("ackButton"));
    m_ack->setToolTip(tr("Acknowledge the selected messages (A in the table)"));
    m_nack = new QPushButton(tr("Nack"), this);
    m_nack->setObjectName(QStringLiteral("nackButton"));
    m_nack->setToolTip(tr("Negatively acknowledge the selected messages: Pulsar redelivers them after the "
                          "negative-ack delay (N in the table)"));
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop receiving; nothing is lost, delivery resumes where it stopped"));
    m_clear = new QPushButton(tr("Clear"), this);
    m_clear->setObjectName(QStringLiteral("clearButton"));
    m_clear->setToolTip(tr("Remove every row from the table (acknowledges nothing)"));
    toolbar->addWidget(m_autoAck);
    toolbar->addWidget(m_ack);
    toolbar->addWidget(m_nack);
    toolbar->addWidget(m_pause);
    toolbar->addWidget(m_clear);
    toolbar->addStretch(1);
    m_receivedLabel = counterLabel(QStringLiteral("receivedCountLabel"), this);
    m_ackedLabel = counterLabel(QStringLiteral("ackedCountLabel"), this);
    m_pendingLabel = counterLabel(QStringLiteral("pendingCountLabel"), this);
    m_rateLabel = counterLabel(QStringLiteral("rateLabel"), this);
    m_rowsLabel = counterLabel(QStringLiteral("rowCountLabel"), this);
    // Wide enough for large counts from the start: a label that grows with its number would re-lay out (and
    // repaint) the whole panel at every counter refresh.
    const QFontMetrics metrics = fontMetrics();
    for (QLabel *label : {m_receivedLabel, m_ackedLabel, m_pendingLabel, m_rateLabel}) {
        label->setMinimumWidth(metrics.horizontalAdvance(QStringLiteral("Received: 000,000,000")));
        toolbar->addWidget(label);
    }
    m_rowsLabel->setMinimumWidth(metrics.horizontalAdvance(QStringLiteral("Rows: 0,000,000 of 0,000,000 max")));
    toolbar->addWidget(m_rowsLabel);
    layout->addLayout(toolbar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("messageTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(false); // arrival order: sorting the live tail is what freezes views
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerItem); // the tail logic counts in rows
    // Fixed row heights: the view never measures rows, so an insert costs the same at any row count.
    QHeaderView *vertical = m_table->verticalHeader();
    vertical->setVisible(false);
    vertical->setSectionResizeMode(QHeaderView::Fixed);
    vertical->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *horizontal = m_table->horizontalHeader();
    horizontal->setSectionResizeMode(QHeaderView::Interactive);
    horizontal->setStretchLastSection(false);
    horizontal->setHighlightSections(false);
    sizeColumns();

    m_inspector = new MessageInspector(this);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("messageSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_inspector);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    layout->addWidget(m_splitter, 1);

    if (m_mode == Mode::Reader) {
        for (QWidget *w :
             {static_cast<QWidget *>(m_autoAck), static_cast<QWidget *>(m_ack), static_cast<QWidget *>(m_nack),
              static_cast<QWidget *>(m_ackedLabel), static_cast<QWidget *>(m_pendingLabel)})
            w->hide();
        m_model->setObjectName(QStringLiteral("readerMessageModel"));
    }

    const auto requestAck = [this] {
        const QList<int> rows = selectedRows();
        if (!rows.isEmpty() && m_ack->isEnabled())
            Q_EMIT ackRequested(rows);
    };
    const auto requestNack = [this] {
        const QList<int> rows = selectedRows();
        if (!rows.isEmpty() && m_nack->isEnabled())
            Q_EMIT nackRequested(rows);
    };
    connect(m_ack, &QPushButton::clicked, this, requestAck);
    connect(m_nack, &QPushButton::clicked, this, requestNack);
    if (m_mode == Mode::Consumer) {
        auto *ackKey = new QShortcut(QKeySequence(Qt::Key_A), m_table);
        ackKey->setObjectName(QStringLiteral("ackShortcut"));
        ackKey->setContext(Qt::WidgetShortcut);
        connect(ackKey, &QShortcut::activated, this, requestAck);
        auto *nackKey = new QShortcut(QKeySequence(Qt::Key_N), m_table);
        nackKey->setObjectName(QStringLiteral("nackShortcut"));
        nackKey->setContext(Qt::WidgetShortcut);
        connect(nackKey, &QShortcut::activated, this, requestNack);
    }
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        Q_EMIT pauseToggled(paused);
    });
    connect(m_autoAck, &QCheckBox::toggled, this, &MessageStreamView::autoAckToggled);
    connect(m_clear, &QPushButton::clicked, this, [this] {
        m_model->clear();
        m_inspector->clearMessage();
        m_followTail = true;
    });

    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, &MessageStreamView::noteTail);
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, &MessageStreamView::noteTail);
    connect(m_model, &MessageTableModel::flushed, this, &MessageStreamView::afterFlush);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MessageStreamView::showCurrent);
    m_counterTimer.setInterval(kCounterIntervalMs);
    connect(&m_counterTimer, &QTimer::timeout, this, &MessageStreamView::updateCounters);
    m_counterTimer.start();
    m_rateClock.start();
    setSessionActive(false);
    updateCounters();
}

void MessageStreamView::sizeColumns()
{
    // Sized once from sample texts, then left to the user (Interactive): never ResizeToContents on live data.
    const QFontMetrics metrics = m_table->fontMetrics();
    QHeaderView *header = m_table->horizontalHeader();
    for (int c = 0; c < MessageTableModel::ColumnCount; ++c) {
        const QString sample = MessageTableModel::sampleText(MessageTableModel::Column(c));
        const QString title = m_model->headerData(c, Qt::Horizontal).toString();
        header->resizeSection(c, std::max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title)) +
                                     3 * metrics.averageCharWidth());
    }
    if (m_mode == Mode::Reader)
        m_table->setColumnHidden(MessageTableModel::AckStateColumn, true);
}

void MessageStreamView::addMessages(const QList<Pulsar::ReceivedMessage> &messages, MessageTableModel::AckState state)
{
    m_received += messages.size();
    m_model->append(messages, state);
}

void MessageStreamView::resetCounters()
{
    m_received = 0;
    m_acked = 0;
    m_rate = 0;
    m_rateSamples.clear();
    updateCounters();
}

void MessageStreamView::updateCounters()
{
    const qint64 now = m_rateClock.elapsed();
    m_rateSamples.append({now, m_received});
    while (m_rateSamples.size() > 2 && now - m_rateSamples.first().first > kRateWindowMs)
        m_rateSamples.removeFirst();
    const auto &oldest = m_rateSamples.first();
    m_rate = now > oldest.first ? double(m_received - oldest.second) * 1000.0 / double(now - oldest.first) : 0.0;

    const QLocale locale;
    m_receivedLabel->setText(tr("Received: %1").arg(locale.toString(m_received)));
    m_ackedLabel->setText(tr("Acked: %1").arg(locale.toString(m_acked)));
    m_pendingLabel->setText(tr("Pending: %1").arg(locale.toString(m_pendingSource ? m_pendingSource() : 0)));
    m_rateLabel->setText(tr("%1 msg/s").arg(locale.toString(qRound64(m_rate))));
    m_rowsLabel->setText(
        tr("Rows: %1 of %2 max").arg(locale.toString(m_model->rowCount()), locale.toString(m_model->maxRows())));
}

QList<int> MessageStreamView::selectedRows() const
{
    QList<int> rows;
    const QItemSelection selection = m_table->selectionModel()->selection();
    for (const QItemSelectionRange &range : selection) {
        for (int row = range.top(); row <= range.bottom(); ++row)
            rows.append(row);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

bool MessageStreamView::autoAck() const
{
    return m_autoAck->isChecked();
}

void MessageStreamView::setAutoAck(bool on)
{
    m_autoAck->setChecked(on);
}

bool MessageStreamView::isPaused() const
{
    return m_pause->isChecked();
}

void MessageStreamView::setPaused(bool paused)
{
    m_pause->setChecked(paused);
}

void MessageStreamView::setSessionActive(bool active)
{
    m_ack->setEnabled(active);
    m_nack->setEnabled(active);
    m_pause->setEnabled(active);
}

void MessageStreamView::noteTail()
{
    // Wireshark's rule, taken once per flush before its first change, while the scroll bar still describes what
    // the user sees: follow the tail only when at the bottom.
    if (m_tailNoted)
        return;
    m_tailNoted = true;
    const QScrollBar *bar = m_table->verticalScrollBar();
    m_followTail = bar->value() >= bar->maximum();
}

void MessageStreamView::afterFlush(int inserted, int dropped)
{
    Q_UNUSED(inserted)
    m_tailNoted = false;
    if (m_followTail) {
        m_table->scrollToBottom();
    } else if (dropped > 0) {
        // Rows left at the top: keep the rows the user is reading in place rather than let them slide up.
        QScrollBar *bar = m_table->verticalScrollBar();
        bar->setValue(std::max(0, bar->value() - dropped));
    }
}

void MessageStreamView::showCurrent()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_inspector->clearMessage();
        return;
    }
    m_inspector->setMessage(m_model->message(current.row()), m_model->arrivalMs(current.row()));
}

QJsonObject MessageStreamView::saveState() const
{
    QJsonObject state;
    state.insert(QStringLiteral("header"), QString::fromLatin1(m_table->horizontalHeader()->saveState().toBase64()));
    state.insert(QStringLiteral("splitter"), QString::fromLatin1(m_splitter->saveState().toBase64()));
    state.insert(QStringLiteral("autoAck"), m_autoAck->isChecked());
    return state;
}

void MessageStreamView::restoreState(const QJsonObject &state)
{
    const QByteArray header = QByteArray::fromBase64(state.value(QLatin1String("header")).toString().toLatin1());
    if (!header.isEmpty())
        m_table->horizontalHeader()->restoreState(header);
    const QByteArray splitter = QByteArray::fromBase64(state.value(QLatin1String("splitter")).toString().toLatin1());
    if (!splitter.isEmpty())
        m_splitter->restoreState(splitter);
    if (state.contains(QLatin1String("autoAck")))
        m_autoAck->setChecked(state.value(QLatin1String("autoAck")).toBool());
}

} // namespace Gui
