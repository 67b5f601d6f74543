#include <QtTest>
class Tst_options : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(Tst_options)
#include "tst_options.moc"
