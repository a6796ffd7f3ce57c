namespace Cloud.Modules.Kernel.Flags;

/// <summary>
/// A flags class that checks its values before any role starts (<see cref="FlagValidation"/>): values that parse
/// but cannot work are refused naming the flag and the value, not discovered later by the code that reads them.
/// </summary>
public interface IValidatedFlags
{
    /// <summary>Throws a <see cref="FlagException"/> (through <see cref="FlagError"/>) for the first value that cannot work.</summary>
    void Validate();
}
