#pragma once

// Finding and driving the desktop app's widgets by object name, as tst_mainwindow and the screenshot tool do.
#include <QAbstractItemModel>
#include <QComboBox>
#include <QObject>
#include <QString>

#include <cstdlib>

namespace TestSupport {

// The descendant of parent named name; a missing widget ends the run with its name (a renamed objectName must not
// read as an unrelated crash).
template<typename T>
T *child(QObject *parent, const char *name)
{
    T *found = parent->findChild<T *>(QString::fromLatin1(name));
    if (!found)
        qFatal("no %s named %s under %s", T::staticMetaObject.className(), name, qPrintable(parent->objectName()));
    return found;
}

// The text of a model cell, as the user sees it.
inline QString cell(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

// Picks the combo box entry whose text contains text (the forms show names such as "Earliest").
inline void choose(QComboBox *combo, const QString &text)
{
    for (int i = 0; i < combo->count(); ++i) {
        if (combo->itemText(i).contains(text, Qt::CaseInsensitive)) {
            combo->setCurrentIndex(i);
            return;
        }
    }
    qFatal("%s has no entry like %s", qPrintable(combo->objectName()), qPrintable(text));
}

} // namespace TestSupport
