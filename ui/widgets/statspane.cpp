#include "statspane.h"

#include "admin/adminclient.h"
#include "models/eventlog.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTime>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Gui {

namespace {

enum PublisherColumn
{
    PublisherName,
    PublisherRate,
    PublisherThroughput,
    PublisherAddress,
    PublisherSince,
    PublisherColumnCount
};

enum SubscriptionColumn
{
    SubscriptionName,
    SubscriptionType,
    SubscriptionBacklog,
    SubscriptionRateOut,
    SubscriptionUnacked,
    SubscriptionAddress,
    SubscriptionColumnCount
};

QString rate(double value)
{
    return StatsPane::tr("%1 msg/s").arg(QLocale().toString(value, 'f', 2));
}

QString throughput(double bytesPerSecond)
{
    return StatsPane::tr("%1/s").arg(QLocale().formattedDataSize(qint64(bytesPerSecond)));
}

QString count(qint64 value)
{
    return QLocale().toString(value);
}

QString dataSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes);
}

} // namespace

StatsPane::StatsPane(EventLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_title(new QLabel(this))
    , m_refreshButton(new QPushButton(tr("Refresh"), this))
    , m_status(new QLabel(this))
    , m_publishers(new QTreeWidget(this))
    , m_subscriptions(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("statsPane"));
    m_title->setObjectName(QStringLiteral("statsTopic"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_refreshButton->setObjectName(QStringLiteral("statsRefreshButton"));
    m_status->setObjectName(QStringLiteral("statsStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    const auto addValue = [this, form](const char *name, const QString &label) {
        auto *value = new QLabel(this);
        value->setObjectName(QString::fromLatin1(name));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, value);
        return value;
    };
    m_msgRateIn = addValue("statsMsgRateIn", tr("Rate in:"));
    m_msgRateOut = addValue("statsMsgRateOut", tr("Rate out:"));
    m_throughputIn = addValue("statsThroughputIn", tr("Throughput in:"));
    m_throughputOut = addValue("statsThroughputOut", tr("Throughput out:"));
    m_msgInCounter = addValue("statsMsgInCounter", tr("Messages in:"));
    m_msgOutCounter = addValue("statsMsgOutCounter", tr("Messages out:"));
    m_bytesInCounter = addValue("statsBytesInCounter", tr("Bytes in:"));
    m_bytesOutCounter = addValue("statsBytesOutCounter", tr("Bytes out:"));
    m_averageMsgSize = addValue("statsAverageMsgSize", tr("Average message size:"));
    m_storageSize = addValue("statsStorageSize", tr("Storage size:"));
    m_backlogSize = addValue("statsBacklogSize", tr("Backlog size:"));
    m_msgBacklog = addValue("statsMsgBacklog", tr("Backlog messages:"));
    m_partitionsLabel = addValue("statsPartitions", tr("Partitions:"));

    m_publishers->setObjectName(QStringLiteral("publishersView"));
    m_publishers->setColumnCount(PublisherColumnCount);
    m_publishers->setHeaderLabels(
        {tr("Publisher"), tr("Rate in"), tr("Throughput in"), tr("Address"), tr("Connected since")});
    m_publishers->setRootIsDecorated(false);
    m_subscriptions->setObjectName(QStringLiteral("subscriptionsView"));
    m_subscriptions->setColumnCount(SubscriptionColumnCount);
    m_subscriptions->setHeaderLabels(
        {tr("Subscription / consumer"), tr("Type"), tr("Backlog"), tr("Rate out"), tr("Unacked"), tr("Address")});
    for (QTreeWidget *view : {m_publishers, m_subscriptions}) {
        view->setUniformRowHeights(true);
        view->setSelectionMode(QAbstractItemView::SingleSelection);
        view->header()->setStretchLastSection(true);
        view->setColumnWidth(0, 180);
        for (int column = 1; column < view->columnCount() - 1; ++column)
            view->setColumnWidth(column, 90);
    }

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Publishers"), this));
    layout->addWidget(m_publishers, 1);
    layout->addWidget(new QLabel(tr("Subscriptions"), this));
    layout->addWidget(m_subscriptions, 2);

    m_timer.setSingleShot(false);
    connect(&m_timer, &QTimer::timeout, this, &StatsPane::refresh);
    connect(m_refreshButton, &QPushButton::clicked, this, &StatsPane::refresh);
    connect(m_subscriptions, &QTreeWidget::itemCollapsed, this, [this](QTreeWidgetItem *item) {
        if (!item->parent())
            m_collapsed.insert(item->data(0, Qt::UserRole).toString());
    });
    connect(m_subscriptions, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem *item) {
        if (!item->parent())
            m_collapsed.remove(item->data(0, Qt::UserRole).toString());
    });
    clear();
    m_status->setText(tr("No topic selected."));
    m_refreshButton->setEnabled(false);
}

StatsPane::~StatsPane()
{
    cancel();
}

void StatsPane::setAdminClient(Pulsar::AdminClient *admin)
{
    cancel();
    m_admin = admin;
    m_partitions.reset();
    m_lastError.clear();
    clear();
    if (!m_admin) {
        m_status->setText(tr("Not connected."));
        m_status->setStyleSheet(QString());
    }
    m_refreshButton->setEnabled(m_admin && m_topic.isValid());
    updateTimer();
    refresh();
}

void StatsPane::setTopic(const Pulsar::TopicName &topic)
{
    if (topic == m_topic) {
        refresh();
        return;
    }
    cancel();
    m_topic = topic;
    m_partitions.reset();
    m_lastError.clear();
    m_collapsed.clear();
    clear();
    m_title->setText(topic.toString());
    m_refreshButton->setEnabled(m_admin && m_topic.isValid());
    updateTimer();
    refresh();
}

void StatsPane::setRefreshInterval(int seconds)
{
    m_intervalSeconds = qMax(0, seconds);
    updateTimer();
}

void StatsPane::updateTimer()
{
    if (m_intervalSeconds > 0 && m_admin && m_topic.isValid())
        m_timer.start(m_intervalSeconds * 1000);
    else
        m_timer.stop();
}

void StatsPane::refresh()
{
    // One request per pane: a tick (or a click) while one runs changes nothing, its answer is as fresh.
    if (!m_admin || !m_topic.isValid() || m_call)
        return;
    if (m_topic.isPartitioned())
        m_partitions = 0; // a partition is a topic of its own
    if (m_partitions) {
        requestStats();
        return;
    }
    const quint64 serial = m_serial;
    auto *call = m_admin->partitionedMetadata(m_topic);
    track(call);
    call->then(
        this,
        [this, serial](const Pulsar::PartitionedTopicMetadata &metadata) {
            if (serial != m_serial)
                return;
            m_call = nullptr;
            m_partitions = metadata.partitions;
            requestStats();
        },
        [this, serial](const Pulsar::AdminError &error) {
            if (serial == m_serial)
                fail(error);
        });
}

void StatsPane::requestStats()
{
    if (!m_admin)
        return;
    const quint64 serial = m_serial;
    if (m_partitions.value_or(0) > 0) {
        // Per partition too: Pulsar's aggregate names no publisher, the partitions do (PartitionedTopicStats).
        auto *call = m_admin->partitionedStats(m_topic, true);
        track(call);
        call->then(
            this,
            [this, serial](const Pulsar::PartitionedTopicStats &stats) {
                if (serial != m_serial)
                    return;
                m_call = nullptr;
                showStats(stats.total, stats.partitions);
            },
            [this, serial](const Pulsar::AdminError &error) {
                if (serial == m_serial)
                    fail(error);
            });
        return;
    }
    auto *call = m_admin->topicStats(m_topic);
    track(call);
    call->then(
        this,
        [this, serial](const Pulsar::TopicStats &stats) {
            if (serial != m_serial)
                return;
            m_call = nullptr;
            showStats(stats, 0);
        },
        [this, serial](const Pulsar::AdminError &error) {
            if (serial == m_serial)
                fail(error);
        });
}

void StatsPane::track(Pulsar::AdminCall *call)
{
    m_call = call;
}

void StatsPane::cancel()
{
    ++m_serial;
    if (m_call) {
        // Disconnected first: cancel() reports the failure at once.
        disconnect(m_call, nullptr, this, nullptr);
        m_call->cancel();
    }
    m_call = nullptr;
}

void StatsPane::clear()
{
    for (QLabel *label :
         {m_msgRateIn, m_msgRateOut, m_throughputIn, m_throughputOut, m_msgInCounter, m_msgOutCounter, m_bytesInCounter,
          m_bytesOutCounter, m_averageMsgSize, m_storageSize, m_backlogSize, m_msgBacklog, m_partitionsLabel}) {
        label->setText(QStringLiteral("–"));
        label->setToolTip(QString());
    }
    m_publishers->clear();
    m_subscriptions->clear();
}

void StatsPane::showStats(const Pulsar::TopicStats &stats, int partitions)
{
    m_msgRateIn->setText(rate(stats.msgRateIn));
    m_msgRateOut->setText(rate(stats.msgRateOut));
    m_throughputIn->setText(throughput(stats.msgThroughputIn));
    m_throughputOut->setText(throughput(stats.msgThroughputOut));
    m_msgInCounter->setText(count(stats.msgInCounter));
    m_msgOutCounter->setText(count(stats.msgOutCounter));
    m_bytesInCounter->setText(dataSize(stats.bytesInCounter));
    m_bytesInCounter->setToolTip(tr("%1 bytes").arg(count(stats.bytesInCounter)));
    m_bytesOutCounter->setText(dataSize(stats.bytesOutCounter));
    m_bytesOutCounter->setToolTip(tr("%1 bytes").arg(count(stats.bytesOutCounter)));
    m_averageMsgSize->setText(dataSize(qint64(stats.averageMsgSize)));
    m_storageSize->setText(dataSize(stats.storageSize));
    m_storageSize->setToolTip(tr("%1 bytes").arg(count(stats.storageSize)));
    m_backlogSize->setText(dataSize(stats.backlogSize));
    m_backlogSize->setToolTip(tr("%1 bytes").arg(count(stats.backlogSize)));
    qint64 backlog = 0;
    for (const Pulsar::SubscriptionStats &subscription : stats.subscriptions)
        backlog += subscription.msgBacklog;
    m_msgBacklog->setText(count(backlog));
    m_partitionsLabel->setText(partitions > 0 ? QString::number(partitions) : tr("not partitioned"));

    // Rebuilt whole (a few rows, every few seconds), in one insert per list.
    m_publishers->clear();
    QList<QTreeWidgetItem *> publishers;
    for (const Pulsar::PublisherStats &p : stats.publishers) {
        if (publishers.size() >= kMaxRows)
            break;
        auto *item = new QTreeWidgetItem;
        item->setText(PublisherName, p.producerName);
        item->setText(PublisherRate, rate(p.msgRateIn));
        item->setText(PublisherThroughput, throughput(p.msgThroughputIn));
        item->setText(PublisherAddress, p.address);
        item->setText(PublisherSince, p.connectedSince);
        item->setToolTip(PublisherName, p.clientVersion.isEmpty()
                                            ? p.producerName
                                            : tr("%1\nClient: %2").arg(p.producerName, p.clientVersion));
        publishers.append(item);
    }
    m_publishers->addTopLevelItems(publishers);

    const QString currentSubscription = m_subscriptions->currentItem() && !m_subscriptions->currentItem()->parent()
                                            ? m_subscriptions->currentItem()->data(0, Qt::UserRole).toString()
                                            : QString();
    const QSet<QString> collapsed = m_collapsed;
    m_subscriptions->clear();
    QList<QTreeWidgetItem *> subscriptions;
    for (const Pulsar::SubscriptionStats &s : stats.subscriptions) {
        if (subscriptions.size() >= kMaxRows)
            break;
        auto *item = new QTreeWidgetItem;
        item->setData(0, Qt::UserRole, s.name);
        item->setText(SubscriptionName, s.name);
        item->setText(SubscriptionType, s.type);
        item->setText(SubscriptionBacklog, count(s.msgBacklog));
        item->setText(SubscriptionRateOut, rate(s.msgRateOut));
        item->setText(SubscriptionUnacked, count(s.unackedMessages));
        item->setText(SubscriptionAddress, tr("%n consumer(s)", "", int(s.consumers.size())));
        int consumers = 0;
        for (const Pulsar::ConsumerStats &c : s.consumers) {
            if (++consumers > kMaxRows)
                break;
            auto *child = new QTreeWidgetItem(item);
            child->setText(SubscriptionName, c.consumerName);
            child->setText(SubscriptionType, tr("consumer"));
            child->setText(SubscriptionRateOut, rate(c.msgRateOut));
            child->setText(SubscriptionUnacked, count(c.unackedMessages));
            child->setText(SubscriptionAddress, c.address);
            child->setToolTip(SubscriptionAddress, tr("Connected since %1").arg(c.connectedSince));
        }
        subscriptions.append(item);
    }
    m_subscriptions->addTopLevelItems(subscriptions);
    for (QTreeWidgetItem *item : std::as_const(subscriptions)) {
        const QString name = item->data(0, Qt::UserRole).toString();
        item->setExpanded(!collapsed.contains(name));
        if (name == currentSubscription)
            m_subscriptions->setCurrentItem(item);
    }
    m_collapsed = collapsed;

    QString status = tr("Updated at %1.").arg(QLocale().toString(QTime::currentTime(), QLocale::ShortFormat));
    if (stats.publishers.size() > kMaxRows || stats.subscriptions.size() > kMaxRows)
        status += QLatin1Char(' ') + tr("Showing the first %1 publishers and subscriptions.").arg(kMaxRows);
    m_status->setText(status);
    m_status->setStyleSheet(QString());
    m_lastError.clear();
    Q_EMIT updated();
}

void StatsPane::fail(const Pulsar::AdminError &error)
{
    m_call = nullptr;
    // The topic may have changed shape (deleted, recreated partitioned): ask again next time.
    m_partitions.reset();
    if (error.httpStatus == 404)
        clear();
    const QString text = tr("Could not load the stats of %1: %2").arg(m_topic.toString(), error.message());
    m_status->setText(text);
    m_status->setStyleSheet(QStringLiteral("color: red"));
    // A timer keeps asking; the log gets each distinct failure once, not one line per tick.
    if (text != m_lastError)
        m_log->error(tr("Stats %1").arg(m_topic.toString()), text);
    m_lastError = text;
    Q_EMIT updated();
}

} // namespace Gui
