#pragma once

#include "protocol/topicname.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Gui {

// Asks for a new topic in one namespace: its local name, persistent or non-persistent, and the number of
// partitions (0 makes a non-partitioned topic). OK stays disabled while the name is not one Pulsar accepts, and
// the reason shows under the form. The dialog only collects; the browser makes the admin call when it is
// accepted. Meant to be shown with open() (non-blocking).
class CreateTopicDialog final : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kMaxPartitions = 10000;

    explicit CreateTopicDialog(const Pulsar::NamespaceName &ns, QWidget *parent = nullptr);

    Pulsar::NamespaceName namespaceName() const { return m_namespace; }
    // The topic the form describes, or nullopt (with the reason in *error) when the name is not valid.
    std::optional<Pulsar::TopicName> topic(QString *error = nullptr) const;
    int partitions() const;

    // For callers that preset the form.
    void setTopicName(const QString &localName);
    void setPersistent(bool persistent);
    void setPartitions(int partitions);

private:
    void validate();

    Pulsar::NamespaceName m_namespace;
    QLineEdit *m_name;
    QComboBox *m_domain;
    QSpinBox *m_partitions;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace Gui
