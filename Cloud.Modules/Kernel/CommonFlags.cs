using System.ComponentModel;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel;

/// <summary>Flags every role reads: identity of the host, paths, logging, database, heartbeats.</summary>
public sealed class CommonFlags
{
    /// <summary>This host's name in the services table and its topic suffix. Default: the machine's host name.</summary>
    [ConfigurationKeyName("host")]
    [Description("Name of this host: its services rows and its topics (compute.<host>).")]
    public string Host { get; set; } = System.Net.Dns.GetHostName();

    /// <summary>This host's address on the cloud's network (targets of DNAT, iSCSI, metadata). Default: the address of the interface the default route uses, else 127.0.0.1.</summary>
    [ConfigurationKeyName("my_ip")]
    [Description("This host's IP address, which other hosts and guests reach it on.")]
    public string MyIp { get; set; } = HostAddress.Primary();

    /// <summary>Availability zone reported for this host's services. Default: nova.</summary>
    [ConfigurationKeyName("node_availability_zone")]
    [Description("Availability zone of this host's services.")]
    public string NodeAvailabilityZone { get; set; } = "nova";

    /// <summary>Top directory for state (database, instances, images). Default: /var/lib/cloudd.</summary>
    [ConfigurationKeyName("state_path")]
    [Description("Top-level directory for cloudd's state.")]
    public string StatePath { get; set; } = "/var/lib/cloudd";

    /// <summary>Directory of per-role log files; empty logs to the console. Default: empty.</summary>
    [ConfigurationKeyName("logdir")]
    [Description("Directory for per-role log files (api.log, compute.log, ...). Empty: log to the console.")]
    public string LogDir { get; set; } = "";

    /// <summary>Log at debug level. Default: false.</summary>
    [ConfigurationKeyName("verbose")]
    [Description("Log debug messages too.")]
    public bool Verbose { get; set; }

    /// <summary>Log format: <c>text</c> (one line per event) or <c>json</c> (compact JSON per line). Default: text.</summary>
    [ConfigurationKeyName("log_format")]
    [Description("Log format: text or json.")]
    public string LogFormat { get; set; } = "text";

    /// <summary>Detach from the terminal and run in the background. Default: false.</summary>
    [ConfigurationKeyName("daemonize")]
    [Description("Run in the background, detached from the terminal.")]
    public bool Daemonize { get; set; }

    /// <summary>Where to write the process id when daemonized. Default: $state_path/cloudd.pid.</summary>
    [ConfigurationKeyName("pidfile")]
    [Description("File to write the process id to when daemonized.")]
    public string PidFile { get; set; } = "$state_path/cloudd.pid";

    /// <summary>Database URL: <c>mysql://user:pass@host[:port]/db</c> or <c>sqlite:///path</c>. Default: SQLite under state_path.</summary>
    [ConfigurationKeyName("sql_connection")]
    [Description("Database URL: mysql://user:pass@host[:port]/db or sqlite:///relative or sqlite:////absolute path.")]
    public string SqlConnection { get; set; } = "sqlite:///$state_path/cloudd.sqlite";

    /// <summary>Seconds <c>manage db sync</c> waits on MariaDB for another sync's lock before failing. Default: 120.</summary>
    [ConfigurationKeyName("db_sync_lock_timeout")]
    [Description("Seconds manage db sync waits for another running db sync (MariaDB lock) before it fails.")]
    public int DbSyncLockTimeout { get; set; } = 120;

    /// <summary>Seconds between a service's heartbeats. Default: 10.</summary>
    [ConfigurationKeyName("report_interval")]
    [Description("Seconds between a service's heartbeats in the services table.")]
    public int ReportInterval { get; set; } = 10;

    /// <summary>Seconds without a heartbeat after which a service counts as down. Default: 60.</summary>
    [ConfigurationKeyName("service_down_time")]
    [Description("Seconds since the last heartbeat after which a service is down.")]
    public int ServiceDownTime { get; set; } = 60;

    /// <summary>Seconds between a manager's periodic tasks. Default: 60.</summary>
    [ConfigurationKeyName("periodic_interval")]
    [Description("Seconds between a service's periodic tasks.")]
    public int PeriodicInterval { get; set; } = 60;

    /// <summary>Refuses values that parse but make no sense, naming the flag.</summary>
    public void Validate()
    {
        if (ReportInterval < 1)
        {
            throw new FlagException($"--report_interval={ReportInterval}: must be at least 1 second");
        }
        if (ServiceDownTime <= ReportInterval)
        {
            throw new FlagException($"--service_down_time={ServiceDownTime}: must be longer than --report_interval={ReportInterval}, or every service would look down");
        }
        if (PeriodicInterval < 1)
        {
            throw new FlagException($"--periodic_interval={PeriodicInterval}: must be at least 1 second");
        }
        if (LogFormat is not ("text" or "json"))
        {
            throw new FlagException($"--log_format={LogFormat}: use text or json");
        }
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new FlagException("--host must not be empty");
        }
    }
}
