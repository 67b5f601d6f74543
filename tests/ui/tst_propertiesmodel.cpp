// PropertiesModel: add, edit and remove rows under QAbstractItemModelTester; duplicate and empty keys are caught
// with the rows named and the offending cells marked; blank rows are neither errors nor sent; the cap.
#include "models/propertiesmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using Gui::PropertiesModel;

namespace {

using Rows = QList<QPair<QString, QString>>;

void fill(PropertiesModel &model, const Rows &rows)
{
    for (const auto &row : rows)
        model.addProperty(row.first, row.second);
}

QList<int> errorRows(const PropertiesModel &model)
{
    QList<int> rows;
    for (int i = 0; i < model.rowCount(); ++i) {
        if (model.rowHasError(i))
            rows.append(i);
    }
    return rows;
}

} // namespace

class TestPropertiesModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addEditRemove();
    void validation_data();
    void validation();
    void editingFixesDuplicate();
    void setPropertiesResets();
    void cap();
};

void TestPropertiesModel::addEditRemove()
{
    PropertiesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QCOMPARE(model.columnCount(), 2);
    QCOMPARE(model.headerData(0, Qt::Horizontal).toString(), QStringLiteral("Key"));
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("Value"));

    QCOMPARE(model.addProperty(), 0);
    QVERIFY(model.isValid()); // a blank row is what "Add" makes: not an error
    QVERIFY(model.properties().isEmpty());
    QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsEditable);

    QVERIFY(model.setData(model.index(0, PropertiesModel::KeyColumn), QStringLiteral("region")));
    QVERIFY(model.setData(model.index(0, PropertiesModel::ValueColumn), QStringLiteral("eu")));
    QCOMPARE(model.data(model.index(0, 0)).toString(), QStringLiteral("region"));
    QCOMPARE(model.data(model.index(0, 1), Qt::EditRole).toString(), QStringLiteral("eu"));
    QCOMPARE(model.addProperty(QStringLiteral("tier"), QStringLiteral("gold")), 1);
    QCOMPARE(model.properties(), (Rows{{QStringLiteral("region"), QStringLiteral("eu")},
                                       {QStringLiteral("tier"), QStringLiteral("gold")}}));

    model.removeProperty(0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.properties(), (Rows{{QStringLiteral("tier"), QStringLiteral("gold")}}));
    QVERIFY(!model.removeRows(1, 1));
    QVERIFY(model.removeRows(0, 1));
    QCOMPARE(model.rowCount(), 0);
}

void TestPropertiesModel::validation_data()
{
    QTest::addColumn<Rows>("rows");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QList<int>>("marked");

    const auto p = [](const char *k, const char *v) { return qMakePair(QString::fromUtf8(k), QString::fromUtf8(v)); };
    QTest::addRow("valid") << Rows{p("a", "1"), p("b", "2")} << QString() << QList<int>{};
    QTest::addRow("empty value is fine") << Rows{p("a", "")} << QString() << QList<int>{};
    QTest::addRow("blank rows ignored") << Rows{p("", ""), p("a", "1"), p("", "")} << QString() << QList<int>{};
    QTest::addRow("duplicate") << Rows{p("a", "1"), p("b", "2"), p("a", "3")}
                               << QStringLiteral("Duplicate property key \"a\" in rows 1 and 3") << QList<int>{0, 2};
    QTest::addRow("duplicate with same value")
        << Rows{p("k", "v"), p("k", "v")} << QStringLiteral("Duplicate property key \"k\" in rows 1 and 2")
        << QList<int>{0, 1};
    QTest::addRow("keys are case-sensitive") << Rows{p("a", "1"), p("A", "2")} << QString() << QList<int>{};
    QTest::addRow("empty key") << Rows{p("a", "1"), p("", "orphan")}
                               << QStringLiteral("Property in row 2 has an empty key") << QList<int>{1};
    QTest::addRow("first problem named, all marked")
        << Rows{p("", "x"), p("d", "1"), p("d", "2"), p("d", "3")}
        << QStringLiteral("Property in row 1 has an empty key") << QList<int>{0, 1, 2, 3};
}

void TestPropertiesModel::validation()
{
    QFETCH(Rows, rows);
    QFETCH(QString, error);
    QFETCH(QList<int>, marked);

    PropertiesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    fill(model, rows);
    QCOMPARE(model.validationError(), error);
    QCOMPARE(model.isValid(), error.isEmpty());
    QCOMPARE(errorRows(model), marked);
    for (int row : marked) {
        QVERIFY(model.data(model.index(row, PropertiesModel::KeyColumn), Qt::BackgroundRole).isValid());
        QVERIFY(!model.data(model.index(row, PropertiesModel::KeyColumn), Qt::ToolTipRole).toString().isEmpty());
    }
}

void TestPropertiesModel::editingFixesDuplicate()
{
    PropertiesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy validity(&model, &PropertiesModel::validityChanged);
    model.addProperty(QStringLiteral("a"), QStringLiteral("1"));
    model.addProperty(QStringLiteral("b"), QStringLiteral("2"));
    QCOMPARE(validity.count(), 0);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(model.index(1, 0), QStringLiteral("a")));
    QCOMPARE(validity.count(), 1);
    QCOMPARE(validity.last().at(0).toBool(), false);
    QCOMPARE(validity.last().at(1).toString(), QStringLiteral("Duplicate property key \"a\" in rows 1 and 2"));
    QVERIFY(changed.count() >= 1); // the first row's marking changed too
    QVERIFY(model.rowHasError(0));

    QVERIFY(model.setData(model.index(1, 0), QStringLiteral("c")));
    QCOMPARE(validity.count(), 2);
    QCOMPARE(validity.last().at(0).toBool(), true);
    QVERIFY(!model.rowHasError(0));

    // Removing one of a duplicate pair heals it too.
    model.addProperty(QStringLiteral("c"), QStringLiteral("3"));
    QVERIFY(!model.isValid());
    model.removeProperty(2);
    QVERIFY(model.isValid());
}

void TestPropertiesModel::setPropertiesResets()
{
    PropertiesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.addProperty(QStringLiteral("old"), QStringLiteral("1"));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const Rows rows{{QStringLiteral("x"), QStringLiteral("1")}, {QStringLiteral("x"), QStringLiteral("2")}};
    model.setProperties(rows);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.properties(), rows);
    QVERIFY(!model.isValid());
}

void TestPropertiesModel::cap()
{
    PropertiesModel model;
    for (int i = 0; i < PropertiesModel::MaxRows; ++i)
        QCOMPARE(model.addProperty(QString::number(i), QString()), i);
    QCOMPARE(model.addProperty(QStringLiteral("one too many")), -1);
    QCOMPARE(model.rowCount(), PropertiesModel::MaxRows);
    QVERIFY(model.isValid());
}

QTEST_GUILESS_MAIN(TestPropertiesModel)
#include "tst_propertiesmodel.moc"
