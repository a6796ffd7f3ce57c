using Microsoft.Extensions.Configuration;

namespace Cloud.Modules.Kernel.Flags;

/// <summary>Runs the validators of the flags classes a process binds, once, when it starts.</summary>
public static class FlagValidation
{
    /// <summary>Binds each of <paramref name="flagClasses"/> that is <see cref="IValidatedFlags"/> and validates it.</summary>
    /// <exception cref="FlagException">A value cannot work.</exception>
    public static void Run(IConfiguration flags, IEnumerable<Type> flagClasses)
    {
        foreach (var type in flagClasses.Distinct().Where(t => t.IsAssignableTo(typeof(IValidatedFlags))))
        {
            var bound = flags.Get(type) ?? Activator.CreateInstance(type);
            ((IValidatedFlags)bound!).Validate();
        }
    }
}
