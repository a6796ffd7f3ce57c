using System.ComponentModel;
using Cloud.Modules.Kernel.Db;
using Cloud.Modules.Kernel.Flags;
using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel;

/// <summary>Flags every role reads: identity of the host, paths, logging, database, heartbeats.</summary>
public sealed class CommonFlags : IValidatedFlags
{
    [ConfigurationKeyName("host")]
    [Description("Name of this host: its services rows and its topics (compute.<host>); default: the machine's host name.")]
    public string Host { get; set; } = System.Net.Dns.GetHostName();

    [ConfigurationKeyName("my_ip")]
    [Description("This host's IP address, which other hosts and guests reach it on (DNAT, iSCSI, metadata); default: the address of the interface of the default route, else 127.0.0.1.")]
    public string MyIp { get; set; } = HostAddress.Primary();

    [ConfigurationKeyName("node_availability_zone")]
    [Description("Availability zone of this host's services.")]
    public string NodeAvailabilityZone { get; set; } = "nova";

    [ConfigurationKeyName("state_path")]
    [Description("Top-level directory for cloudd's state (database, instances, images).")]
    public string StatePath { get; set; } = "/var/lib/cloudd";

    [ConfigurationKeyName("logdir")]
    [Description("Directory for per-role log files (api.log, compute.log, ...). Empty: log to the console.")]
    public string LogDir { get; set; } = "";

    [ConfigurationKeyName("verbose")]
    [Description("Log debug messages too.")]
    public bool Verbose { get; set; }

    [ConfigurationKeyName("log_format")]
    [Description("Log format: text (one line per event) or json (compact JSON per line).")]
    public string LogFormat { get; set; } = "text";

    [ConfigurationKeyName("daemonize")]
    [Description("Run in the background, detached from the terminal.")]
    public bool Daemonize { get; set; }

    [ConfigurationKeyName("pidfile")]
    [Description("File to write the process id to when daemonized.")]
    public string PidFile { get; set; } = "$state_path/cloudd.pid";

    [ConfigurationKeyName("sql_connection")]
    [Description("Database URL: mysql://user:pass@host[:port]/db or sqlite:///relative or sqlite:////absolute path.")]
    public string SqlConnection { get; set; } = "sqlite:///$state_path/cloudd.sqlite";

    [ConfigurationKeyName("db_sync_lock_timeout")]
    [Description("Seconds manage db sync waits for another running db sync (MariaDB lock) before it fails.")]
    public int DbSyncLockTimeout { get; set; } = 120;

    [ConfigurationKeyName("report_interval")]
    [Description("Seconds between a service's heartbeats in the services table (nova's default was 10; shorter so a dead host is noticed in seconds).")]
    public int ReportInterval { get; set; } = 3;

    [ConfigurationKeyName("service_down_time")]
    [Description("Seconds since the last heartbeat after which a service is down, while other heartbeats get through (nova's default was 60).")]
    public int ServiceDownTime { get; set; } = 15;

    [ConfigurationKeyName("periodic_interval")]
    [Description("Seconds between a service's periodic tasks.")]
    public int PeriodicInterval { get; set; } = 60;

    /// <summary>Refuses values that parse but cannot work, naming the flag and the value.</summary>
    public void Validate()
    {
        FlagError.Require(ReportInterval >= 1, "report_interval", ReportInterval, "must be at least 1 second");
        FlagError.Require(ServiceDownTime > ReportInterval, "service_down_time", ServiceDownTime,
            $"must be longer than --report_interval={ReportInterval}, or every service would look down");
        FlagError.Require(PeriodicInterval >= 1, "periodic_interval", PeriodicInterval, "must be at least 1 second");
        FlagError.Require(LogFormat is "text" or "json", "log_format", LogFormat, "use text or json");
        FlagError.Require(!string.IsNullOrWhiteSpace(Host), "host", Host, "must not be empty");
        FlagError.Require(DbSyncLockTimeout >= 1, "db_sync_lock_timeout", DbSyncLockTimeout, "must be at least 1 second");
        _ = DatabaseUrl.Parse(SqlConnection);
    }
}
