#include "createtopicdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Gui {

CreateTopicDialog::CreateTopicDialog(const Pulsar::NamespaceName &ns, QWidget *parent)
    : QDialog(parent)
    , m_namespace(ns)
    , m_name(new QLineEdit(this))
    , m_domain(new QComboBox(this))
    , m_partitions(new QSpinBox(this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("createTopicDialog"));
    setWindowTitle(tr("Create Topic in %1").arg(ns.toString()));

    m_name->setObjectName(QStringLiteral("topicNameEdit"));
    m_name->setPlaceholderText(tr("my-topic"));
    m_domain->setObjectName(QStringLiteral("topicDomainCombo"));
    m_domain->addItem(tr("Persistent"), QStringLiteral("persistent"));
    m_domain->addItem(tr("Non-persistent"), QStringLiteral("non-persistent"));
    m_partitions->setObjectName(QStringLiteral("partitionsSpin"));
    m_partitions->setRange(0, kMaxPartitions);
    m_partitions->setSpecialValueText(tr("0 (not partitioned)"));
    m_error->setObjectName(QStringLiteral("createTopicError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: red"));
    m_buttons->setObjectName(QStringLiteral("createTopicButtons"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));

    auto *form = new QFormLayout;
    form->addRow(tr("Namespace:"), new QLabel(ns.toString(), this));
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Type:"), m_domain);
    form->addRow(tr("&Partitions:"), m_partitions);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    connect(m_name, &QLineEdit::textChanged, this, &CreateTopicDialog::validate);
    connect(m_domain, &QComboBox::currentIndexChanged, this, &CreateTopicDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

std::optional<Pulsar::TopicName> CreateTopicDialog::topic(QString *error) const
{
    const QString local = m_name->text().trimmed();
    if (local.isEmpty()) {
        if (error)
            *error = tr("Enter a topic name.");
        return std::nullopt;
    }
    if (local.contains(QLatin1Char('/'))) {
        if (error)
            *error = tr("The name is the topic's own part, without '/'.");
        return std::nullopt;
    }
    const QString full =
        m_domain->currentData().toString() + QStringLiteral("://") + m_namespace.toString() + QLatin1Char('/') + local;
    const auto parsed = Pulsar::TopicName::parse(full);
    if (!parsed) {
        if (error)
            *error = parsed.error().message;
        return std::nullopt;
    }
    return *parsed;
}

int CreateTopicDialog::partitions() const
{
    return m_partitions->value();
}

void CreateTopicDialog::setTopicName(const QString &localName)
{
    m_name->setText(localName);
}

void CreateTopicDialog::setPersistent(bool persistent)
{
    m_domain->setCurrentIndex(persistent ? 0 : 1);
}

void CreateTopicDialog::setPartitions(int partitions)
{
    m_partitions->setValue(partitions);
}

void CreateTopicDialog::validate()
{
    QString error;
    const bool ok = topic(&error).has_value();
    // An empty name is not worth a red sentence; OK just stays disabled.
    m_error->setText(ok || m_name->text().trimmed().isEmpty() ? QString() : error);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
}

} // namespace Gui
