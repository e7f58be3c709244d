package org.nas4j.core.space;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Options an analyst has taken out of a space between rounds of a search: options <em>removed</em> from a choice,
 * and choices <em>pinned</em> to one option. Applied to a space ({@link #applyTo}) it gives a {@link RestrictedSpace}
 * whose samples, mutations and neighbours never hold a removed option and always hold the pinned ones. Immutable
 * and thread-safe, with value equality; choices and options are kept sorted, so equal restrictions have equal
 * {@link #text()}.
 *
 * <pre>{@code
 * SpaceRestriction r = SpaceRestriction.none()
 *         .remove("edge 1<-0", "none")
 *         .pin("edge 3<-2", "nor_conv_3x3");
 * SearchSpace next = r.applyTo(Spaces.nasBench201());   // the next round searches this
 * }</pre>
 *
 * @param removed per choice name, the options removed from it (never empty sets)
 * @param pinned  per choice name, the one option it keeps
 */
public record SpaceRestriction(Map<String, Set<String>> removed, Map<String, String> pinned) {

    public SpaceRestriction {
        Objects.requireNonNull(removed, "removed");
        Objects.requireNonNull(pinned, "pinned");
        Map<String, Set<String>> r = new TreeMap<>();
        removed.forEach((choice, options) -> {
            Objects.requireNonNull(choice, "removed: choice name");
            Objects.requireNonNull(options, "removed: options of choice '" + choice + "'");
            if (!options.isEmpty()) {
                r.put(choice, Set.copyOf(new TreeSet<>(options)));
            }
        });
        Map<String, String> p = new TreeMap<>();
        pinned.forEach((choice, option) -> {
            Objects.requireNonNull(choice, "pinned: choice name");
            p.put(choice, Objects.requireNonNull(option, "pinned: option of choice '" + choice + "'"));
        });
        removed = java.util.Collections.unmodifiableMap(r);
        pinned = java.util.Collections.unmodifiableMap(p);
    }

    /** No restriction: the space as it is. */
    public static SpaceRestriction none() {
        return new SpaceRestriction(Map.of(), Map.of());
    }

    /** This restriction with {@code options} also removed from the choice named {@code choice}. */
    public SpaceRestriction remove(String choice, String... options) {
        Map<String, Set<String>> r = new TreeMap<>(removed);
        Set<String> set = new LinkedHashSet<>(r.getOrDefault(choice, Set.of()));
        set.addAll(Arrays.asList(options));
        r.put(choice, set);
        return new SpaceRestriction(r, pinned);
    }

    /** This restriction with the choice named {@code choice} pinned to {@code option} (replacing an earlier pin). */
    public SpaceRestriction pin(String choice, String option) {
        Map<String, String> p = new TreeMap<>(pinned);
        p.put(choice, option);
        return new SpaceRestriction(removed, p);
    }

    /** Whether nothing is removed or pinned. */
    public boolean isEmpty() {
        return removed.isEmpty() && pinned.isEmpty();
    }

    /**
     * A stable text of this restriction, e.g. {@code "remove edge 1<-0=[none]; pin edge 3<-2=nor_conv_3x3"}; the
     * empty text for no restriction.
     */
    public String text() {
        StringBuilder s = new StringBuilder();
        removed.forEach((choice, options) -> s.append(s.length() == 0 ? "" : "; ").append("remove ").append(choice)
                .append("=").append(new TreeSet<>(options)));
        pinned.forEach((choice, option) -> s.append(s.length() == 0 ? "" : "; ").append("pin ").append(choice)
                .append("=").append(option));
        return s.toString();
    }

    /**
     * The space {@code space} restricted by this; an exception naming the choice and option when a name is not one of
     * {@code space}'s, when a choice would keep no option, or when a pinned option is also removed.
     */
    public RestrictedSpace applyTo(SearchSpace space) {
        Objects.requireNonNull(space, "space");
        List<Choice> choices = space.choices();
        boolean[][] allowed = new boolean[choices.size()][];
        for (int i = 0; i < choices.size(); i++) {
            allowed[i] = new boolean[choices.get(i).size()];
            Arrays.fill(allowed[i], true);
        }
        removed.forEach((name, options) -> {
            int i = indexOf(space, "removed", name);
            for (String option : options) {
                allowed[i][option(choices.get(i), "removed", option)] = false;
            }
            if (options.size() == choices.get(i).size()) {
                throw new IllegalArgumentException("removed must leave at least one option of choice '" + name
                        + "', but removed all of " + choices.get(i).options());
            }
        });
        pinned.forEach((name, option) -> {
            int i = indexOf(space, "pinned", name);
            int keep = option(choices.get(i), "pinned", option);
            if (!allowed[i][keep]) {
                throw new IllegalArgumentException("pinned option '" + option + "' of choice '" + name
                        + "' must not also be removed, but removed was " + removed.get(name));
            }
            Arrays.fill(allowed[i], false);
            allowed[i][keep] = true;
        });
        return new RestrictedSpace(space, this, allowed);
    }

    private static int indexOf(SearchSpace space, String parameter, String name) {
        List<Choice> choices = space.choices();
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(parameter + " names choice '" + name + "', which space '" + space.name()
                + "' does not have; its choices: " + choices.stream().map(Choice::name).toList());
    }

    private static int option(Choice choice, String parameter, String option) {
        int i = choice.options().indexOf(option);
        if (i < 0) {
            throw new IllegalArgumentException(parameter + " names option '" + option + "' of choice '"
                    + choice.name() + "', which is not one of its options " + choice.options());
        }
        return i;
    }
}
