using RecoveryStudy.Database;

namespace RecoveryStudy.Tests.Database;

public sealed class PostgresBinariesTests
{
    [Fact]
    public void Missing_binaries_are_not_found_anywhere()
    {
        var empty = Directory.CreateTempSubdirectory("rs-nobin-").FullName;
        try
        {
            Assert.Null(PostgresCluster.FindBinDirectory(fromEnvironment: empty, debianRoot: Path.Combine(empty, "none"), path: empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void The_newest_debian_server_is_preferred()
    {
        var root = Directory.CreateTempSubdirectory("rs-bins-").FullName;
        try
        {
            foreach (var version in new[] { "13", "15", "9" })
            {
                var bin = Directory.CreateDirectory(Path.Combine(root, version, "bin")).FullName;
                File.WriteAllText(Path.Combine(bin, "pg_ctl"), "");
                File.WriteAllText(Path.Combine(bin, "initdb"), "");
            }
            Assert.Equal(Path.Combine(root, "15", "bin"), PostgresCluster.FindBinDirectory(fromEnvironment: null, debianRoot: root, path: ""));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Missing_binaries_message_names_the_debian_package_on_one_line()
    {
        var message = PostgresCluster.NotInstalled().Message;
        Assert.Contains("apt-get install postgresql-15", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
