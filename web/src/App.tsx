import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Loading } from './components/Feedback';
import { Layout } from './Layout';
import { Agreements } from './pages/Agreements';
import { ApiPage } from './pages/ApiPage';
import { Applications } from './pages/Applications';
import { Community } from './pages/Community';
import { Consents } from './pages/Consents';
import { Credentials } from './pages/Credentials';
import { DatasetPage } from './pages/DatasetPage';
import { DeletionRequests } from './pages/DeletionRequests';
import { Explore } from './pages/Explore';
import { HarvestSources } from './pages/HarvestSources';
import { Home } from './pages/Home';
import { Join } from './pages/Join';
import { Labs } from './pages/Labs';
import { Locations } from './pages/Locations';
import { NotFound } from './pages/NotFound';
import { Notifications } from './pages/Notifications';
import { OrgProfile } from './pages/OrgProfile';
import { Publish } from './pages/Publish';
import { Regulator } from './pages/Regulator';
import { Requests } from './pages/Requests';
import { SignIn } from './pages/SignIn';
import { SqlConsole } from './pages/SqlConsole';
import { Usage } from './pages/Usage';
import { Webhooks } from './pages/Webhooks';
import { Wishes } from './pages/Wishes';
import { WishPage } from './pages/WishPage';
import { useSession } from './session';

/**
 * Paths of the portal. They avoid the platform's own paths (`/v1`, `/gw`, `/catalog`, `/docs`,
 * `/api/3`, `/delta-sharing`, `/oauth`, `/healthz`…), which the server answers itself.
 */
export function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignIn />} />
      <Route path="/join" element={<Join />} />
      <Route
        element={
          <RequireSession>
            <Layout />
          </RequireSession>
        }
      >
        <Route index element={<Home />} />
        <Route path="explore" element={<Explore />} />
        <Route path="apis/:apiId" element={<ApiPage />} />
        <Route path="datasets/:datasetId" element={<DatasetPage />} />
        <Route path="credentials" element={<Credentials />} />
        <Route path="usage" element={<Usage />} />
        <Route path="publish" element={<Publish />} />
        <Route path="requests" element={<Requests />} />
        <Route path="consents" element={<Consents />} />
        <Route path="agreements" element={<Agreements />} />
        <Route path="deletion-requests" element={<DeletionRequests />} />
        <Route path="sql" element={<SqlConsole />} />
        <Route path="labs" element={<Labs />} />
        <Route path="community" element={<Community />} />
        <Route path="community/:orgId" element={<OrgProfile />} />
        <Route path="wishes" element={<Wishes />} />
        <Route path="wishes/:wishId" element={<WishPage />} />
        <Route path="notifications" element={<Notifications />} />
        <Route path="webhooks" element={<Webhooks />} />
        <Route path="harvest-sources" element={<HarvestSources />} />
        <Route path="regulator/*" element={<Regulator />} />
        <Route path="admin/applications" element={<Applications />} />
        <Route path="admin/locations" element={<Locations />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const location = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}
