using System.Diagnostics;
using System.Net.Sockets;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// Debian's nginx run by the current user in a temp folder of its own (pid, logs, temp files),
/// in the foreground, with a site file given as text inside a minimal nginx.conf. Stopped with
/// SIGTERM (nginx's fast shutdown).
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly Process process;

    private NginxProcess(Process process, string folder)
    {
        this.process = process;
        Folder = folder;
    }

    public string Folder { get; }
    public string AccessLog => File.ReadAllText(Path.Combine(Folder, "access.log"));
    public string ErrorLog => File.Exists(Path.Combine(Folder, "error.log")) ? File.ReadAllText(Path.Combine(Folder, "error.log")) : "";

    /// <summary>Starts nginx with <paramref name="site"/> (which may use {folder} for its own files) and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<NginxProcess> StartAsync(string site, string host, int port)
    {
        var folder = Directory.CreateTempSubdirectory("rs-nginx-").FullName;
        File.WriteAllText(Path.Combine(folder, "site.conf"), site.Replace("{folder}", folder, StringComparison.Ordinal));
        // As root, nginx would hand its workers to an unprivileged user that cannot enter this 0700 folder.
        var user = Environment.UserName == "root" ? "user root;" : "";
        File.WriteAllText(Path.Combine(folder, "nginx.conf"), $$"""
            {{user}}
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            events { worker_connections 128; }
            http {
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;
                include {{folder}}/site.conf;
            }
            """);
        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }
        var nginx = new NginxProcess(Process.Start(start)!, folder);
        for (var i = 0; i < 100 && !nginx.process.HasExited; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(host, port);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        var error = nginx.process.HasExited ? await nginx.process.StandardError.ReadToEndAsync() : "";
        await nginx.DisposeAsync();
        throw new InvalidOperationException($"nginx did not listen on {host}:{port}: {error} {nginx.ErrorLog}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
