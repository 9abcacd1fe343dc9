"""An in-memory keyring backend for tests: the developer's own keyring is never touched."""

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 1
    _store: dict = {}

    def get_password(self, service, username):
        return self._store.get((service, username))

    def set_password(self, service, username, password):
        self._store[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self._store:
            raise PasswordDeleteError(username)
        del self._store[(service, username)]
