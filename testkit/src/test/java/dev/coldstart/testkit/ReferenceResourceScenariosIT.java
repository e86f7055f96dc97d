package dev.coldstart.testkit;

/**
 * Our own proof of CS-26 to CS-30: the resources module's mechanisms with their default settings,
 * replayed through the public {@link ResourceScenarios}.
 */
class ReferenceResourceScenariosIT implements ResourceScenarios {

    @Override
    public ResourceProfile resourceProfile() {
        return ResourceProfile.ofDefaults();
    }
}
