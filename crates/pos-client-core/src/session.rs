//! [`Session`]: a token that is obtained lazily, once for all concurrent callers, and renewed
//! at most once per refusal.

use std::future::Future;

use tokio::sync::Mutex;

/// A session token with a generation number, for protocols that log in (NOOM's `USERACCESS`,
/// an OAuth2 token endpoint).
///
/// [`Session::get`] logs in when there is no token, holding the lock during the login, so that
/// fifty concurrent first calls make one login. [`Session::renew`] replaces the token of a given
/// generation only: when several calls see the same token refused, the first renews it and the
/// others get the new one without logging in again.
#[derive(Debug)]
pub struct Session<T> {
    state: Mutex<State<T>>,
}

#[derive(Debug)]
struct State<T> {
    token: Option<T>,
    generation: u64,
}

impl<T> Default for Session<T> {
    fn default() -> Self {
        Session {
            state: Mutex::new(State {
                token: None,
                generation: 0,
            }),
        }
    }
}

impl<T: Clone> Session<T> {
    /// An empty session.
    pub fn new() -> Self {
        Session::default()
    }

    /// The current token and its generation, logging in with `login` first when there is none.
    pub async fn get<E, F, Fut>(&self, login: F) -> Result<(T, u64), E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.token {
            return Ok((token.clone(), state.generation));
        }
        let token = login().await?;
        state.generation += 1;
        state.token = Some(token.clone());
        Ok((token, state.generation))
    }

    /// Replaces the token of generation `stale` by a fresh login; when another caller already
    /// replaced it, returns that newer token without logging in.
    pub async fn renew<E, F, Fut>(&self, stale: u64, login: F) -> Result<(T, u64), E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        {
            let mut state = self.state.lock().await;
            if state.generation == stale {
                state.token = None;
            }
        }
        self.get(login).await
    }

    /// Whether a token is held.
    pub async fn is_active(&self) -> bool {
        self.state.lock().await.token.is_some()
    }

    /// Drops the token; the next call logs in again.
    pub async fn clear(&self) {
        self.state.lock().await.token = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_callers_share_one_login_and_one_renewal() {
        let session = Arc::new(Session::<String>::new());
        let logins = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (session, logins) = (session.clone(), logins.clone());
            tasks.push(tokio::spawn(async move {
                session
                    .get(|| async {
                        let n = logins.fetch_add(1, Ordering::SeqCst) + 1;
                        tokio::task::yield_now().await;
                        Ok::<_, ()>(format!("token-{n}"))
                    })
                    .await
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), ("token-1".to_owned(), 1));
        }
        assert_eq!(logins.load(Ordering::SeqCst), 1);

        // Two callers saw generation 1 refused: one renewal, both get generation 2.
        let login = |n: &'static str| move || async move { Ok::<_, ()>(n.to_owned()) };
        assert_eq!(
            session.renew(1, login("fresh")).await,
            Ok(("fresh".to_owned(), 2))
        );
        assert_eq!(
            session.renew(1, login("again")).await,
            Ok(("fresh".to_owned(), 2))
        );
        // A failed login leaves no token.
        session.clear().await;
        assert!(!session.is_active().await);
        assert_eq!(
            session.get(|| async { Err::<String, _>("down") }).await,
            Err("down")
        );
        assert!(!session.is_active().await);
    }
}
