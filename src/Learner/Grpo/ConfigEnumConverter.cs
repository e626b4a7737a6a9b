using System.ComponentModel;
using System.Globalization;

namespace Pipeline.Learner.Grpo;

/// <summary>
/// Lets configuration name the GRPO enums the way the papers and TRL spell them (<c>dr_grpo</c>, <c>k3</c>)
/// as well as the C# way (<c>DrGrpo</c>): underscores and dashes are dropped and case is ignored. The
/// configuration binder finds this through <see cref="TypeDescriptor"/>.
/// </summary>
public sealed class ConfigEnumConverter(Type type) : EnumConverter(type)
{
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? base.ConvertFrom(context, culture, text.Replace("_", "").Replace("-", ""))
            : base.ConvertFrom(context, culture, value);
}
